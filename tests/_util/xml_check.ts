/**
 * A small XML well-formedness check for the SVG ragraph writes (Deno has
 * no DOMParser): one root, tags balanced and properly nested, attributes
 * quoted and not repeated, only the predefined and numeric entities, no
 * stray "<" or "&". Returns the elements found, for structure checks.
 * @module
 */

/** An element: its name, attributes and the names of its ancestors. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  path: string[];
  text: string;
}

const NAME = /^[A-Za-z_:][\w:.-]*$/;

function checkText(text: string, at: number): void {
  const bad = /&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(text);
  if (bad) throw new SyntaxError(`Bad "&" at ${at + bad.index}`);
  if (text.includes("<")) throw new SyntaxError(`Stray "<" near ${at}`);
}

/** Parses `xml`; throws SyntaxError on the first fault. */
export function checkXml(xml: string): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let roots = 0;
  let i = 0;
  const tag =
    /<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    checkText(text, i);
    if (stack.length === 0 && text.trim() !== "") {
      throw new SyntaxError(`Text outside the root at ${i}`);
    }
    if (stack.length > 0) stack[stack.length - 1]!.text += text;
    if (lt < 0) break;
    if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt);
      if (end < 0) throw new SyntaxError(`Unclosed "<?" at ${lt}`);
      i = end + 2;
      continue;
    }
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt);
      if (end < 0) throw new SyntaxError(`Unclosed comment at ${lt}`);
      i = end + 3;
      continue;
    }
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (m === null) throw new SyntaxError(`Bad tag at ${lt}`);
    const [whole, close, name, attrText, selfClose] = m;
    if (!NAME.test(name!)) throw new SyntaxError(`Bad name "${name}"`);
    if (close) {
      const open = stack.pop();
      if (open?.name !== name) {
        throw new SyntaxError(`</${name}> closes <${open?.name}> at ${lt}`);
      }
    } else {
      if (stack.length === 0 && roots++ > 0) {
        throw new SyntaxError(`Second root <${name}> at ${lt}`);
      }
      const attrs: Record<string, string> = {};
      const re = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
      for (const a of attrText!.matchAll(re)) {
        if (!NAME.test(a[1]!)) throw new SyntaxError(`Bad attribute "${a[1]}"`);
        if (a[1]! in attrs) throw new SyntaxError(`Attribute "${a[1]}" twice`);
        const v = a[2] ?? a[3]!;
        checkText(v, lt);
        attrs[a[1]!] = v;
      }
      const el: XmlElement = {
        name: name!,
        attrs,
        path: stack.map((e) => e.name),
        text: "",
      };
      out.push(el);
      if (!selfClose) stack.push(el);
    }
    i = lt + whole.length;
  }
  if (stack.length) throw new SyntaxError(`<${stack.at(-1)!.name}> not closed`);
  if (roots !== 1) throw new SyntaxError("No root element");
  return out;
}
