// Reads named settings from one source (the environment, a stage's parameters) and collects every
// problem instead of stopping at the first, so one attempt shows all that is wrong, each by its name.
// The functions' config, the deployment's stage settings and the stack read through it.
import { parseHostPortList } from './host-port-list';

export abstract class SettingsReader<Name extends string = string> {
  readonly problems: string[] = [];

  /** The setting as its source holds it, undefined when unset. */
  protected abstract raw(name: Name): string | undefined;

  /** The setting, trimmed; undefined when unset or blank. */
  optional(name: Name): string | undefined {
    const value = this.raw(name)?.trim();
    return value ? value : undefined;
  }

  int(name: Name, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: Name, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }

  /** A host:port list (`name` labels its problem), parsed as the whole project parses one; [] beside a recorded problem. */
  hostPorts(name: string, value: string, defaultPort: number): string[] {
    const parsed = parseHostPortList(name, value, defaultPort);
    if (parsed.ok) return parsed.entries;
    this.problems.push(parsed.problem);
    // Stryker disable next-line ArrayDeclaration: equivalent - a placeholder beside a recorded problem; the reader's owner throws before anyone reads it
    return [];
  }
}
