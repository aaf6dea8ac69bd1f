/**
 * WebNN availability, probed once: `navigator.ml` exists only with Chromium's
 * `--enable-features=WebMachineLearningNeuralNetwork`, and even then `createContext()` rejects
 * where the platform has no WebNN backend (headless Linux: "WebNN is not supported on this
 * platform"). Either way the reason is the browser's own, for a recorded skip.
 */
interface NavigatorMl {
  ml?: { createContext(opts?: { deviceType?: string }): Promise<unknown> };
}

let probed: Promise<{ reason: string } | Record<string, unknown>> | undefined;

export function probeWebNn(): Promise<{ reason: string } | Record<string, unknown>> {
  return (probed ??= (async () => {
    const ml = (navigator as Navigator & NavigatorMl).ml;
    if (!ml) return { reason: 'navigator.ml is missing: WebNN is not exposed here; Chromium needs --enable-features=WebMachineLearningNeuralNetwork' };
    try {
      await ml.createContext();
    } catch (e) {
      return { reason: `navigator.ml.createContext() rejected: ${e instanceof Error ? e.message : String(e)}` };
    }
    return { webnn: true };
  })());
}
