/**
 * Configuration knobs are declared in one table per service: name, environment variable,
 * type, default, bounds and a one-line description. `loadConfig` reads them once at an entry
 * point (defaults < environment < explicit overrides), rejects unknown override keys and
 * out-of-range values with a message naming the variable, and returns a frozen object.
 */
import { errorTable } from './errors.ts';

export const configError = errorTable({
  WEFT_CONFIG_INVALID: {
    side: 'client',
    retryable: false,
    hint: 'Correct the named setting (see the configuration table in the README) and start again.',
  },
});

interface KnobBase {
  /** Environment variable, `WEFT_<SERVICE>_<KEY>` by convention. */
  readonly env: string;
  readonly description: string;
}
export interface IntKnob extends KnobBase {
  readonly type: 'int';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}
export interface StringKnob extends KnobBase {
  readonly type: 'string';
  readonly default: string;
}
export interface BoolKnob extends KnobBase {
  readonly type: 'bool';
  readonly default: boolean;
}
export type Knob = IntKnob | StringKnob | BoolKnob;
export type KnobTable = Readonly<Record<string, Knob>>;

type ValueOf<K extends Knob> = K extends IntKnob ? number : K extends BoolKnob ? boolean : string;
export type ConfigOf<T extends KnobTable> = { readonly [P in keyof T]: ValueOf<T[P]> };

function parseKnob(name: string, knob: Knob, raw: unknown, from: string): number | string | boolean {
  if (knob.type === 'string') {
    if (typeof raw !== 'string') throw badValue(name, from, raw, 'a string');
    return raw;
  }
  if (knob.type === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1' || raw === 'yes') return true;
    if (raw === 'false' || raw === '0' || raw === 'no') return false;
    throw badValue(name, from, raw, 'true or false');
  }
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < knob.min || value > knob.max) {
    throw badValue(name, from, raw, `a whole number from ${knob.min} to ${knob.max}`);
  }
  return value;
}

function badValue(name: string, from: string, raw: unknown, expected: string) {
  return configError(
    'WEFT_CONFIG_INVALID',
    `the setting ${name} (${from}) is ${JSON.stringify(raw)}, but it must be ${expected}`,
    { setting: name },
  );
}

/** Resolves every knob of `table`; `overrides` win over `env`, which wins over defaults. */
export function loadConfig<T extends KnobTable>(
  table: T,
  env: Readonly<Record<string, string | undefined>>,
  overrides: Readonly<Record<string, unknown>> = {},
): ConfigOf<T> {
  for (const key of Object.keys(overrides)) {
    if (!(key in table)) {
      throw configError('WEFT_CONFIG_INVALID', `there is no setting called ${key}`, { setting: key });
    }
  }
  const result: Record<string, unknown> = {};
  for (const [name, knob] of Object.entries(table)) {
    if (overrides[name] !== undefined) {
      result[name] = parseKnob(name, knob, overrides[name], 'given explicitly');
    } else if (env[knob.env] !== undefined && env[knob.env] !== '') {
      result[name] = parseKnob(name, knob, env[knob.env], `from ${knob.env}`);
    } else {
      result[name] = knob.default;
    }
  }
  return Object.freeze(result) as ConfigOf<T>;
}
