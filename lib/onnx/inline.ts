/**
 * Inlining ONNX local functions (ModelProto.functions): some exporters wrap each module (encoder
 * layer, attention) in a function, which hides the residual stream from structural search and makes
 * inner tensors untappable. Each call is replaced by the function's body, its inner tensors renamed
 * under a unique prefix, its formal inputs/outputs bound to the call's actual ones, and attributes
 * referring to the call's (`ref_attr_name`) substituted. Nested calls are expanded recursively.
 */
import type { ModelProto, NodeProto } from './proto.js';

type FunctionDef = NonNullable<ModelProto['functions']>[number];

const key = (domain: string | null | undefined, name: string | null | undefined) => `${domain ?? ''}::${name ?? ''}`;

/** The graph's nodes with every local-function call expanded, or undefined when there is none. */
export function inlineLocalFunctions(model: ModelProto): NodeProto[] | undefined {
  const fns = new Map<string, FunctionDef>();
  for (const f of model.functions ?? []) fns.set(key(f.domain, f.name), f);
  const nodes = model.graph?.node ?? [];
  if (fns.size === 0 || !nodes.some((n) => fns.has(key(n.domain, n.opType)))) return undefined;
  let calls = 0;

  const expand = (list: NodeProto[], depth: number): NodeProto[] => {
    if (depth > 32) throw new Error('local functions nested too deeply (recursive?)');
    const out: NodeProto[] = [];
    for (const call of list) {
      const f = fns.get(key(call.domain, call.opType));
      if (!f) {
        out.push(call);
        continue;
      }
      const scope = `${call.name || f.name}#${calls++}/`;
      const bind = new Map<string, string>();
      (f.input ?? []).forEach((x, i) => bind.set(x, call.input?.[i] ?? ''));
      (f.output ?? []).forEach((x, i) => bind.set(x, call.output?.[i] ?? ''));
      const rename = (x: string) => (x === '' ? '' : (bind.get(x) ?? scope + x));
      const attrs = new Map((call.attribute ?? []).map((a) => [a.name ?? '', a]));
      const body = (f.node ?? []).map(
        (n): NodeProto => ({
          ...n,
          name: n.name ? scope + n.name : undefined,
          input: (n.input ?? []).map(rename),
          output: (n.output ?? []).map(rename),
          attribute: (n.attribute ?? []).flatMap((a) => {
            if (!a.refAttrName) return [a];
            const given = attrs.get(a.refAttrName);
            return given ? [{ ...given, name: a.name }] : []; // absent: the op's default applies
          }),
        }),
      );
      out.push(...expand(body, depth + 1));
    }
    return out;
  };
  return expand(nodes, 0);
}
