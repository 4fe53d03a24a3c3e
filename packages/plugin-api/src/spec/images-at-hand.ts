/**
 * The images a message can act on when it is sent: `image` is `attached` (sent with the message),
 * `session` (no attachment, but the session has a latest image) or `none`; `mask` is true when a mask
 * was sent with it. "make it sepia" edits the image at hand; with none, words describe a new picture.
 */
export interface ImagesAtHand {
  image: 'attached' | 'session' | 'none';
  mask: boolean;
}
