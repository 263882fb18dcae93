/**
 * API misuse throws (STYLE G7): an Error whose message names the culprit and the broken rule,
 * with OTP's error atom as `code` so callers can tell `badarg` from the rest.
 */
export class OrchardError extends Error {
  constructor(
    readonly code: 'badarg' | 'noproc' | 'not_in_process' | 'undef' | 'not_cloneable' | 'system_limit',
    message: string,
  ) {
    super(message);
    this.name = 'OrchardError';
  }
}

export function badarg(message: string): OrchardError {
  return new OrchardError('badarg', `badarg: ${message}`);
}
