/**
 * Runs a dialog action, swallowing failures that were already shown: form validation errors
 * (shown under the fields) and API errors (shown as an antd message by the fetch wrapper).
 */
export function quietly<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (e && typeof e === 'object' && ('errorFields' in e || 'code' in e)) return;
      throw e;
    }
  };
}
