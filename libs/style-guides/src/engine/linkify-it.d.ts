// linkify-it ships no types (it is a dependency of markdown-it); what links.ts uses of it.
declare module 'linkify-it' {
  interface Match {
    schema: string;
    index: number;
    lastIndex: number;
    raw: string;
    text: string;
    url: string;
  }
  interface Options {
    fuzzyLink?: boolean;
    fuzzyEmail?: boolean;
    fuzzyIP?: boolean;
  }
  class LinkifyIt {
    constructor(schemas?: Record<string, unknown> | null, options?: Options);
    add(schema: string, definition: unknown): this;
    tlds(list: string | string[], keepOld?: boolean): this;
    pretest(text: string): boolean;
    match(text: string): Match[] | null;
  }
  export = LinkifyIt;
}
