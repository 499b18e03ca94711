/** Reads an OpenLDAP .schema file's object classes and attribute types, for checking views. */
import { readFileSync } from 'node:fs';

export interface ObjectClassDef {
  readonly names: readonly string[];
  readonly sup: readonly string[];
  readonly must: readonly string[];
  readonly may: readonly string[];
}

export interface Schema {
  /** By lower-cased name. */
  readonly classes: ReadonlyMap<string, ObjectClassDef>;
  /** Lower-cased attribute name → its spelling in the schema. */
  readonly attributes: ReadonlyMap<string, string>;
}

function list(body: string, keyword: string): string[] {
  const match = new RegExp(`\\b${keyword}\\s+(\\([^)]*\\)|'[^']*'|\\S+)`).exec(body);
  if (!match) return [];
  return (match[1] as string).replace(/[()']/g, ' ').split(/[\s$]+/).filter(Boolean);
}

export function readSchema(path: string): Schema {
  const text = readFileSync(path, 'utf8').split('\n').filter((line) => !line.trimStart().startsWith('#')).join(' ');
  const classes = new Map<string, ObjectClassDef>();
  const attributes = new Map<string, string>();
  const start = /\b(objectclass|attributetype)\s*\(/gi;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    let depth = 1;
    let i = match.index + match[0].length;
    while (i < text.length && depth > 0) {
      if (text[i] === '(') depth += 1;
      else if (text[i] === ')') depth -= 1;
      i += 1;
    }
    const body = text.slice(match.index + match[0].length, i - 1).replace(/DESC\s+'[^']*'/g, '');
    const names = list(body, 'NAME');
    if ((match[1] as string).toLowerCase() === 'attributetype') {
      for (const name of names) attributes.set(name.toLowerCase(), name);
    } else {
      const definition = { names, sup: list(body, 'SUP'), must: list(body, 'MUST'), may: list(body, 'MAY') };
      for (const name of names) classes.set(name.toLowerCase(), definition);
    }
  }
  return { classes, attributes };
}
