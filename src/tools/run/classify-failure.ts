/**
 * A load failure that means "this backend cannot run this model" (an operator or type it lacks)
 * is a recorded skip with the runtime's reason; anything else is an error. The patterns are the
 * runtimes' own messages.
 */
const UNSUPPORTED = [
  /cannot resolve operator/i, // ort-web webgl: "cannot resolve operator 'DequantizeLinear' with opsets"
  /could not find an implementation/i, // ort: missing kernel for a type/op
  /not (yet )?(supported|implemented)/i,
  /unsupported (data ?type|type|op|operator)/i,
  /no kernel/i,
  /dynamic (shape|dim)/i,
  /expected shape '\[,/i, // ort-web webgl rejects symbolic dims
  /requires f16 but the device does not support it/i, // ort-web native WebGPU EP on an adapter without shader-f16
];

export function isUnsupported(message: string): boolean {
  return UNSUPPORTED.some((re) => re.test(message));
}
