/**
 * What this browser offers for GPU backends, probed once: the WebGPU adapter (vendor,
 * architecture, fallback or not, shader-f16) and the WebGL2 renderer with its float-texture
 * support. A missing capability comes with the reason, so a skipped backend explains itself.
 */

/** WebGPU adapter facts, or why there is none. */
export type WebGpuProbe =
  | { ok: true; vendor: string; architecture: string; device: string; description: string; isFallbackAdapter: boolean; shaderF16: boolean }
  | { ok: false; reason: string };

/** WebGL2 facts, or why there is none. */
export type WebGlProbe =
  | { ok: true; version: string; renderer: string; vendor: string; floatRenderTarget: boolean; floatLinear: boolean; maxTextureSize: number }
  | { ok: false; reason: string };

interface GpuAdapterLike {
  features: { has(name: string): boolean };
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}
interface NavigatorGpu {
  gpu?: { requestAdapter(opts?: { powerPreference?: string }): Promise<GpuAdapterLike | null> };
}

let webgpu: Promise<WebGpuProbe> | undefined;
let webgl: WebGlProbe | undefined;

/** The WebGPU adapter, requested once per page. */
export function probeWebGpu(): Promise<WebGpuProbe> {
  return (webgpu ??= (async (): Promise<WebGpuProbe> => {
    const gpu = (navigator as Navigator & NavigatorGpu).gpu;
    if (!gpu) {
      return {
        ok: false,
        reason: `navigator.gpu is missing: WebGPU is not exposed here${globalThis.isSecureContext ? '' : ' (not a secure context)'}; headless Chromium needs --enable-unsafe-webgpu`,
      };
    }
    let adapter: GpuAdapterLike | null;
    try {
      adapter = await gpu.requestAdapter();
    } catch (e) {
      return { ok: false, reason: `navigator.gpu.requestAdapter() threw: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (!adapter) return { ok: false, reason: 'navigator.gpu.requestAdapter() returned null: no WebGPU adapter (GPU blocklisted or WebGPU disabled)' };
    const info = adapter.info ?? {};
    return {
      ok: true,
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
      isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
      shaderF16: adapter.features.has('shader-f16'),
    };
  })());
}

/** WebGL2 on a throwaway canvas (an OffscreenCanvas in a worker; the context is released right after). */
export function probeWebGl(): WebGlProbe {
  if (webgl) return webgl;
  const canvas = typeof document === 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  if (!gl) return (webgl = { ok: false, reason: 'WebGL2 is not available: canvas.getContext("webgl2") returned null' });
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  webgl = {
    ok: true,
    version: String(gl.getParameter(gl.VERSION)),
    renderer: String(gl.getParameter(dbg ? dbg.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
    vendor: String(gl.getParameter(dbg ? dbg.UNMASKED_VENDOR_WEBGL : gl.VENDOR)),
    floatRenderTarget: gl.getExtension('EXT_color_buffer_float') !== null,
    floatLinear: gl.getExtension('OES_texture_float_linear') !== null,
    maxTextureSize: Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)),
  };
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return webgl;
}
