// Read access to a DUIS service element for encoders: paths of local names, typed values, and a
// TransformError naming the path when a value is missing or not what the encoder needs.
import { fromBase64, fromHex } from "@opendcc/kernel";
import { TransformError, type ServiceNode } from "./types.js";

export class ServiceFields {
  constructor(readonly node: ServiceNode, private readonly path: string = node.name) {}

  /** The first child element with this local name (along a path), or undefined. */
  find(...names: string[]): ServiceFields | undefined {
    let node: ServiceNode | undefined = this.node;
    let path = this.path;
    for (const name of names) {
      node = node?.children?.find((child) => child.name === name);
      path += `/${name}`;
      if (!node) return undefined;
    }
    return new ServiceFields(node, path);
  }

  /** Like find, but the element must be there. */
  get(...names: string[]): ServiceFields {
    const found = this.find(...names);
    if (!found) throw new TransformError(`${[this.path, ...names].join("/")} is missing`, [this.path, ...names].join("/"));
    return found;
  }

  has(...names: string[]): boolean {
    return this.find(...names) !== undefined;
  }

  /** All children with this local name, in document order. */
  all(name: string): ServiceFields[] {
    return (this.node.children ?? []).filter((child) => child.name === name).map((child, i) => new ServiceFields(child, `${this.path}/${name}[${i + 1}]`));
  }

  /** Every child element, in document order. */
  children(): ServiceFields[] {
    return (this.node.children ?? []).map((child) => new ServiceFields(child, `${this.path}/${child.name}`));
  }

  get name(): string {
    return this.node.name;
  }

  attribute(name: string): string | undefined {
    return this.node.attributes?.[name];
  }

  /** The element's text (of the element at `names` below this one). */
  text(...names: string[]): string {
    const field = this.get(...names);
    if (field.node.text === undefined) throw new TransformError(`${field.path} has no value`, field.path);
    return field.node.text.trim();
  }

  optionalText(...names: string[]): string | undefined {
    return this.find(...names)?.node.text?.trim();
  }

  /** An xs:integer value; bigint when it may exceed 2^53 (use `big`). */
  int(...names: string[]): number {
    const text = this.text(...names);
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value)) throw this.invalid(names, `"${text}" is not an integer`);
    return value;
  }

  optionalInt(...names: string[]): number | undefined {
    return this.has(...names) ? this.int(...names) : undefined;
  }

  big(...names: string[]): bigint {
    const text = this.text(...names);
    if (!/^[+-]?\d+$/.test(text)) throw this.invalid(names, `"${text}" is not an integer`);
    return BigInt(text);
  }

  /** An integer that must lie in [min, max] (DUIS ranges). */
  intIn(min: number, max: number, ...names: string[]): number {
    const value = this.int(...names);
    if (value < min || value > max) throw this.invalid(names, `${value} is outside ${min}..${max}`);
    return value;
  }

  bool(...names: string[]): boolean {
    const text = this.text(...names);
    if (text === "true" || text === "1") return true;
    if (text === "false" || text === "0") return false;
    throw this.invalid(names, `"${text}" is not a boolean`);
  }

  /** xs:hexBinary or an EUI-64 written with or without dashes. */
  hex(...names: string[]): Uint8Array {
    const text = this.text(...names).replace(/-/g, "");
    try {
      return fromHex(text);
    } catch {
      throw this.invalid(names, `"${text}" is not hexadecimal`);
    }
  }

  base64(...names: string[]): Uint8Array {
    try {
      return fromBase64(this.text(...names));
    } catch {
      throw this.invalid(names, "is not base64");
    }
  }

  /** xs:dateTime (DUIS times are UTC). */
  dateTime(...names: string[]): Date {
    const text = this.text(...names);
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) throw this.invalid(names, `"${text}" is not a date-time`);
    return date;
  }

  /** One of the given values (an enumeration in the DUIS schema), as its index in the mapping. */
  oneOf<T>(mapping: Readonly<Record<string, T>>, ...names: string[]): T {
    const text = this.text(...names);
    const value = mapping[text];
    if (value === undefined) throw this.invalid(names, `"${text}" is not one of ${Object.keys(mapping).join(", ")}`);
    return value;
  }

  private invalid(names: string[], why: string): TransformError {
    const path = [this.path, ...names].join("/");
    return new TransformError(`${path}: ${why}`, path);
  }
}
