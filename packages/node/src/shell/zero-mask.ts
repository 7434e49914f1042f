/**
 * The mask key of the node's WebSocket clients (control channel and peer links). A client masks
 * every frame (RFC 6455 §5.3) so that script in a browser cannot shape the bytes an intermediary
 * proxy's cache sees; between the lab's own processes on 127.0.0.1 there is no such script and no
 * such cache. An all-zero key keeps every frame well-formed (masked bit set, key present) and lets
 * `ws` skip the XOR on both ends, which at a burst's rate is a tenth of the coordinator's time.
 */
export function zeroMask(mask: Buffer): void {
  mask.fill(0);
}
