/**
 * The batch's MiddlewareControl. The handlers read their options only from a context whose
 * middlewareControl is an `instanceof MiddlewareControl` of their own copy of the SDK (its
 * CommonJS or its ES build). The SDK does not export the class, so the batch's control is built
 * with the constructor of the control the callers' requests came with: the same copy as the
 * handlers'. Without one (a context built by hand), a look-alike keeps the same surface.
 */
import type { Context, MiddlewareOptions } from "@microsoft/microsoft-graph-client";

type ControlClass = new (options?: MiddlewareOptions[]) => NonNullable<Context["middlewareControl"]>;

class OptionsControl {
  private readonly options = new Map<Function, MiddlewareOptions>();
  constructor(options: readonly MiddlewareOptions[]) {
    for (const option of options) this.options.set(option.constructor, option);
  }
  getMiddlewareOptions(fn: Function): MiddlewareOptions {
    return this.options.get(fn) as MiddlewareOptions;
  }
  setMiddlewareOptions(fn: Function, option: MiddlewareOptions): void {
    this.options.set(fn, option);
  }
}

export function middlewareControlFor(options: readonly MiddlewareOptions[], like?: Context["middlewareControl"]): Context["middlewareControl"] {
  const Control = (like?.constructor ?? OptionsControl) as ControlClass;
  return new Control([...options]);
}

/** All per-request middleware options. MiddlewareControl keeps them in a private map. */
export function requestMiddlewareOptions(context: Context): MiddlewareOptions[] {
  const map = (context.middlewareControl as unknown as { middlewareOptions?: unknown } | undefined)?.middlewareOptions;
  return map instanceof Map ? [...map.values()] : [];
}
