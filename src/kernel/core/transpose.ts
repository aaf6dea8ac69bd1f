/** N-d transpose: out = transpose(t, perm), i.e. out.dims[i] = t.dims[perm[i]] (numpy semantics). */
import { allocate, type Tensor } from './tensor.ts';

export function transpose(t: Tensor, perm: readonly number[]): Tensor {
  const rank = t.dims.length;
  if (perm.length !== rank || [...perm].sort().some((p, i) => p !== i)) {
    throw new RangeError(`perm [${perm.join(',')}] is not a permutation of the ${rank} axes of dims [${t.dims.join(',')}]`);
  }
  const dims = perm.map((p) => t.dims[p]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= t.dims[i]!;
  }
  const strides = perm.map((p) => inStrides[p]!);
  const out = allocate(t.dtype, t.data.length) as unknown as { [i: number]: number | bigint };
  const src = t.data as unknown as { [i: number]: number | bigint };
  const idx = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let o = 0; o < t.data.length; o++) {
    out[o] = src[offset]!;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      offset += strides[a]!;
      if (idx[a]! < dims[a]!) break;
      offset -= strides[a]! * dims[a]!;
      idx[a] = 0;
    }
  }
  return { dtype: t.dtype, dims, data: out as unknown as Tensor['data'] };
}

/** The permutation that undoes `perm`. */
export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}
