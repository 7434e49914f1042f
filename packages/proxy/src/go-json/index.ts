export {
  attributesOnlyType,
  goTypeString,
  noopToxicType,
  populateType,
  proxyType,
  toxicAttributesType,
  toxicUpdateType,
  toxicWrapperType,
  type GoAttributeKind,
  type GoField,
  type GoType,
} from './go-type.js';
export { goDecode, parseFloat32, parseInt64, type GoDecodeResult } from './decode.js';
export { goFloat32, goFloat64, goInt, goMarshal, goQuote, goSortedObject, type GoJson } from './encode.js';
export { quoteChar, readValue, type ReadResult } from './scanner.js';
