import { z } from "@hono/zod-openapi";

type Field = z.ZodType;

const baseType = (field: Field): string => {
  let def = (field as unknown as { def: { type: string; innerType?: Field } }).def;
  while ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) {
    def = (def.innerType as unknown as { def: typeof def }).def;
  }
  return def.type;
};

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The query-string form of a JSON body's fields, validated by the same field schemas: numbers and
 * booleans arrive as text, a list as repeated parameters (`?formats=srt&formats=vtt`, FastAPI's
 * way) or comma-separated. For endpoints that take their parameters either way (LEAP sent these
 * as query parameters, this API as a body).
 */
export function queryFormOf<T extends z.ZodRawShape>(shape: T) {
  const fields: Record<string, z.ZodType> = {};
  for (const [name, raw] of Object.entries(shape)) {
    const field = raw as Field;
    // Each case pipes the parsed text into the body's own field schema, whose input is of that type.
    switch (baseType(field)) {
      case "boolean":
        fields[name] = z.enum(["true", "false"]).transform((v) => v === "true").pipe(field as z.ZodType<unknown, boolean>).optional();
        break;
      case "number":
        fields[name] = z.string().regex(NUMBER, "must be a number").transform(Number).pipe(field as z.ZodType<unknown, number>).optional();
        break;
      case "array":
        fields[name] = z
          .union([z.string(), z.array(z.string())])
          .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== ""))
          .pipe(field as z.ZodType<unknown, string[]>)
          .optional()
          .openapi({ description: "One or more values: repeated (`?formats=srt&formats=vtt`) or comma-separated" });
        break;
      default:
        fields[name] = field;
    }
  }
  return z.object(fields);
}
