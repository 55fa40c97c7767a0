import { useQuery } from '@tanstack/react-query';

/**
 * Which routes this server has, from its OpenAPI document, so that screens use an optional route
 * (a list the contract does not promise) only where it exists instead of probing with a 404.
 */
export interface Capabilities {
  has(method: string, path: string): boolean;
  bodyFields(method: string, path: string): string[];
}

/** The part of an OpenAPI document read here: each path's operations and their JSON body schema. */
interface Operation {
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } } | undefined> };
}
interface OpenApiDoc {
  paths?: Record<string, Record<string, Operation | undefined> | undefined>;
}

async function load(): Promise<Capabilities> {
  let doc: OpenApiDoc = { paths: {} };
  try {
    const res = await fetch('/openapi.json');
    if (res.ok) doc = (await res.json()) as OpenApiDoc;
  } catch {
    /* offline: assume only the contract */
  }
  const paths = doc.paths ?? {};
  const op = (method: string, path: string) => paths[path]?.[method.toLowerCase()];
  return {
    has: (m, p) => !!op(m, p),
    bodyFields(m, p) {
      const schema = op(m, p)?.requestBody?.content?.['application/json']?.schema;
      return Object.keys(schema?.properties ?? {});
    },
  };
}

export function useCapabilities() {
  return useQuery({ queryKey: ['capabilities'], queryFn: load, staleTime: 5 * 60_000, gcTime: Infinity });
}

/** Whether this server has a route; undefined while its OpenAPI document loads. */
export function useHas(method: string, path: string): boolean | undefined {
  const caps = useCapabilities();
  return caps.data ? caps.data.has(method, path) : undefined;
}
