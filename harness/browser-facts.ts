/**
 * Facts about this browser recorded with every target: user agent and version, cross-origin
 * isolation, the measured `performance.now()` resolution, logical cores, the WebGPU adapter and
 * the WebGL renderer. Keys are flat (`webgpu.vendor`) so reports can list them.
 */
import { probeWebGl, probeWebGpu } from './gpu-probe.ts';

/** Smallest non-zero step of `performance.now()` seen over a short busy loop, ms. */
export function measureTimerResolution(samples = 2000): number {
  let best = Infinity;
  let last = performance.now();
  const until = last + 50;
  for (let i = 0; i < samples * 100 && last < until; i++) {
    const t = performance.now();
    if (t > last) {
      best = Math.min(best, t - last);
      last = t;
    }
  }
  return Number.isFinite(best) ? Number(best.toPrecision(3)) : NaN;
}

interface UaData {
  brands?: { brand: string; version: string }[];
  getHighEntropyValues?(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }>;
}

async function browserVersion(): Promise<string> {
  const ua = (navigator as Navigator & { userAgentData?: UaData }).userAgentData;
  try {
    const list = (await ua?.getHighEntropyValues?.(['fullVersionList']))?.fullVersionList ?? ua?.brands ?? [];
    const named = list.find((b) => /chrom|edge|opera/i.test(b.brand) && !/not.?a.?brand/i.test(b.brand));
    if (named) return `${named.brand} ${named.version}`;
  } catch {
    // fall through to the user agent string
  }
  const m = /(HeadlessChrome|Chrome|Chromium|Firefox|Version)\/([\d.]+)/.exec(navigator.userAgent);
  return m ? `${m[1] === 'Version' ? 'Safari' : m[1]} ${m[2]}` : 'unknown';
}

let cached: Promise<Record<string, unknown>> | undefined;

/** The facts, computed once per page. */
export function browserFacts(): Promise<Record<string, unknown>> {
  return (cached ??= (async () => {
    const gpu = await probeWebGpu();
    const gl = probeWebGl();
    const facts: Record<string, unknown> = {
      environment: 'browser',
      userAgent: navigator.userAgent,
      browser: await browserVersion(),
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      timerResolutionMs: measureTimerResolution(),
      hardwareConcurrency: navigator.hardwareConcurrency,
    };
    if (gpu.ok) {
      Object.assign(facts, {
        'webgpu.vendor': gpu.vendor,
        'webgpu.architecture': gpu.architecture,
        'webgpu.device': gpu.device,
        'webgpu.description': gpu.description,
        'webgpu.isFallbackAdapter': gpu.isFallbackAdapter,
        'webgpu.shaderF16': gpu.shaderF16,
      });
    } else facts['webgpu.unavailable'] = gpu.reason;
    if (gl.ok) {
      Object.assign(facts, {
        'webgl.version': gl.version,
        'webgl.renderer': gl.renderer,
        'webgl.vendor': gl.vendor,
        'webgl.floatRenderTarget': gl.floatRenderTarget,
        'webgl.floatLinear': gl.floatLinear,
      });
    } else facts['webgl.unavailable'] = gl.reason;
    return facts;
  })());
}
