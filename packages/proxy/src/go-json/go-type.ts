/**
 * Descriptions of the Go types Toxiproxy decodes request bodies into. `typeString` is what Go's
 * reflect.Type.String() prints and `name` what reflect.Type.Name() prints: both end up, byte for
 * byte, in encoding/json's UnmarshalTypeError messages.
 */
export type GoType =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'int64' }
  | { kind: 'int' }
  | { kind: 'float32' }
  | { kind: 'float64' }
  /** A pointer: JSON null makes it nil (undefined); any other value allocates and decodes into it. */
  | { kind: 'ptr'; elem: GoType }
  /** name: reflect Name() ('' for an anonymous struct); typeString: reflect String(). */
  | { kind: 'struct'; name: string; typeString: string; fields: GoField[] }
  | { kind: 'slice'; elem: GoType; typeString: string };

/** A struct field by its JSON name. Fields promoted from embedded structs are listed directly. */
export interface GoField {
  json: string;
  type: GoType;
}

export type GoAttributeKind = 'int64' | 'int' | 'float64';

const str: GoType = { kind: 'string' };
const bool: GoType = { kind: 'bool' };
const float32: GoType = { kind: 'float32' };

/** The Go type string of a decode target, as reflect.Type.String() prints it. */
export function goTypeString(t: GoType): string {
  switch (t.kind) {
    case 'ptr':
      return `*${goTypeString(t.elem)}`;
    case 'struct':
    case 'slice':
      return t.typeString;
    default:
      return t.kind;
  }
}

/**
 * `*zerolog.Logger`: toxiproxy.Proxy has an exported, untagged `Logger *zerolog.Logger` field, so
 * encoding/json knows it as "Logger" (matched case-insensitively, like any key). zerolog.Logger has
 * no exported fields.
 */
const loggerField: GoField = {
  json: 'Logger',
  type: { kind: 'ptr', elem: { kind: 'struct', name: 'Logger', typeString: 'zerolog.Logger', fields: [] } },
};

/** toxiproxy.Proxy (proxy.go): what POST /proxies and POST /proxies/{proxy} decode into. */
export const proxyType: GoType = {
  kind: 'struct',
  name: 'Proxy',
  typeString: 'toxiproxy.Proxy',
  fields: [
    { json: 'name', type: str },
    { json: 'listen', type: str },
    { json: 'upstream', type: str },
    { json: 'enabled', type: bool },
    loggerField,
  ],
};

const populateElemString = 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';

/** The `[]struct{ Proxy; Enabled *bool }` that POST /populate decodes into (proxy_collection.go). */
export const populateType: GoType = {
  kind: 'slice',
  typeString: `[]${populateElemString}`,
  elem: {
    kind: 'struct',
    name: '',
    typeString: populateElemString,
    fields: [
      { json: 'name', type: str },
      { json: 'listen', type: str },
      { json: 'upstream', type: str },
      { json: 'enabled', type: { kind: 'ptr', elem: bool } },
      loggerField,
    ],
  },
};

/** The Toxic Toxiproxy puts in a ToxicWrapper before the toxic's type is known. */
export const noopToxicType: GoType = { kind: 'struct', name: 'NoopToxic', typeString: 'toxics.NoopToxic', fields: [] };

/** toxics.ToxicWrapper; `attributes` is the struct the embedded Toxic interface holds. */
export function toxicWrapperType(attributesType: GoType): GoType {
  return {
    kind: 'struct',
    name: 'ToxicWrapper',
    typeString: 'toxics.ToxicWrapper',
    fields: [
      { json: 'attributes', type: attributesType },
      { json: 'name', type: str },
      { json: 'type', type: str },
      { json: 'stream', type: str },
      { json: 'toxicity', type: float32 },
    ],
  };
}

/** `struct { Attributes interface{} }` holding the toxic: AddToxicJson's second pass. */
export function attributesOnlyType(attrsType: GoType): GoType {
  return {
    kind: 'struct',
    name: '',
    typeString: 'struct { Attributes interface {} "json:\\"attributes\\"" }',
    fields: [{ json: 'attributes', type: attrsType }],
  };
}

/** `struct { Attributes interface{}; Toxicity float32 }`: UpdateToxicJson. */
export function toxicUpdateType(attrsType: GoType): GoType {
  return {
    kind: 'struct',
    name: '',
    typeString: 'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }',
    fields: [
      { json: 'attributes', type: attrsType },
      { json: 'toxicity', type: float32 },
    ],
  };
}

/** A toxic's attribute struct, e.g. toxicAttributesType('LatencyToxic', { latency: 'int64', jitter: 'int64' }). */
export function toxicAttributesType(goName: string, attrs: Record<string, GoAttributeKind>): GoType {
  return {
    kind: 'struct',
    name: goName,
    typeString: `toxics.${goName}`,
    fields: Object.entries(attrs).map(([json, kind]) => ({ json, type: { kind } })),
  };
}
