/** The longest chat message a user may send, in characters (Unicode code points, see `textLength`). */
export const maxMessageLength = 4000;

/** The most messages one page of a conversation holds. */
export const maxMessagePage = 200;
