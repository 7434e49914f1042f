/** What one chunk carries on a WebSocket connection once the link aligns chunks on message boundaries. */
export type WsUnit =
  /** The HTTP upgrade request or the 101 response (bytes passed through, possibly rewritten). */
  | { kind: 'handshake' }
  /** One whole data message: all its frames (first + continuations), raw bytes, masking untouched. */
  | { kind: 'message'; opcode: 1 | 2; payloadSize: number; frames: number; id?: string | number; type?: string }
  /** One control frame (close 8, ping 9, pong 10): always passes. */
  | { kind: 'control'; opcode: 8 | 9 | 10 }
  /** Bytes that could not be framed (garbage after an upgrade): passed through unchanged. */
  | { kind: 'raw' };
