/** A text tree: a key names a text or a subtree. */
type Tree = { [k: string]: string | Tree };

/** The shape of an English tree with any texts: what another language must fill in, key for key. */
export type Loose<T> = { [K in keyof T]: T[K] extends string ? string : Loose<T[K]> };

/** `a` with `b`'s keys added at every depth (areas of texts join the same namespaces). */
export function merged(...trees: Tree[]): Tree {
  const two = (a: Tree, b: Tree): Tree => {
    const out: Tree = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = typeof v === 'object' && typeof out[k] === 'object' ? two(out[k] as Tree, v) : v;
    return out;
  };
  return trees.reduce(two, {});
}
