// Small named text edits on a DUIS request, so that a test request can be written down as "this
// fixture sample, with these changes" instead of as a copy of it: the RTDS is read at test time
// and never copied into the repository. Each edit keeps the sample's layout and throws when what
// it names is not there exactly as many times as expected, so a changed fixture fails loudly
// instead of quietly yielding another request.

export type Edit = (xml: string) => string;

/** The edits applied in order. */
export const chain = (...edits: readonly Edit[]): Edit => (xml) => edits.reduce((text, edit) => edit(text), xml);

interface Found {
  readonly start: number;
  readonly end: number;
  /** Where the text content starts and ends; absent for an empty element (`<x/>`). */
  readonly content?: { readonly start: number; readonly end: number };
}

/**
 * Elements matching a selector: a local name (any namespace prefix), optionally with one
 * attribute value, as in `SwitchTypeAndId[index="3"]`. Elements are matched to their first closing
 * tag, which is right for DUIS, where no element holds another of its own name.
 */
function find(xml: string, selector: string): Found[] {
  const parts = /^(\w+)(?:\[(\w+)="([^"]*)"\])?$/.exec(selector);
  if (!parts) throw new Error(`bad element selector ${selector}`);
  const [, name, attribute, value] = parts;
  const element = new RegExp(`<(\\w+:)?${name}(\\s[^>]*)?(/>|>)`, "g");
  const found: Found[] = [];
  for (let open = element.exec(xml); open; open = element.exec(xml)) {
    const attributes = open[2] ?? "";
    if (attribute !== undefined && !attributes.includes(` ${attribute}="${value}"`)) continue;
    const afterOpen = open.index + open[0].length;
    if (open[3] === "/>") {
      found.push({ start: open.index, end: afterOpen });
      continue;
    }
    const close = `</${open[1] ?? ""}${name}>`;
    const closeAt = xml.indexOf(close, afterOpen);
    if (closeAt < 0) throw new Error(`${selector} opened at ${open.index} is never closed`);
    found.push({ start: open.index, end: closeAt + close.length, content: { start: afterOpen, end: closeAt } });
  }
  return found;
}

function exactly(xml: string, selector: string, count: number): Found[] {
  const found = find(xml, selector);
  if (found.length !== count) throw new Error(`expected ${count} ${selector} element(s), found ${found.length}`);
  return found;
}

/** The content of the one element the selector names, which must have text. */
function contentOf(xml: string, selector: string): { readonly start: number; readonly end: number } {
  const [element] = exactly(xml, selector, 1) as [Found];
  if (!element.content) throw new Error(`${selector} is an empty element: it has no text`);
  return element.content;
}

/**
 * Sets the text of the one element the selector names. A value given as a function is computed
 * when the edit runs (for values read from the RTDS at test time).
 */
export const setText = (selector: string, value: string | (() => string)): Edit => (xml) => {
  const content = contentOf(xml, selector);
  const text = typeof value === "function" ? value() : value;
  return xml.slice(0, content.start) + text + xml.slice(content.end);
};

/** Sets the counter, the last part of the RequestID `ORIGINATOR:TARGET:COUNTER` (duis.md 1.1). */
export const setRequestCounter = (counter: number): Edit => (xml) => {
  const { start, end } = contentOf(xml, "RequestID");
  const id = xml.slice(start, end);
  if (!/:\d+$/.test(id)) throw new Error(`RequestID ${id} has no counter`);
  return xml.slice(0, start) + id.replace(/:\d+$/, `:${counter}`) + xml.slice(end);
};

/** Removes the elements the selector names, with their lines; there must be exactly `count`. */
export const remove = (selector: string, count = 1): Edit => (xml) => {
  let text = xml;
  for (const element of exactly(xml, selector, count).reverse()) {
    const indent = /\n[ \t]*$/.exec(text.slice(0, element.start))?.[0].length ?? 0;
    text = text.slice(0, element.start - indent) + text.slice(element.end);
  }
  return text;
};

/** Renames the one element with local name `from`, keeping its prefix, attributes and content. */
export const rename = (from: string, to: string): Edit => (xml) => {
  const [element] = exactly(xml, from, 1) as [Found];
  const inner = xml.slice(element.start, element.end)
    .replace(new RegExp(`^<(\\w+:)?${from}\\b`), `<$1${to}`)
    .replace(new RegExp(`</(\\w+:)?${from}>$`), `</$1${to}>`);
  return xml.slice(0, element.start) + inner + xml.slice(element.end);
};
