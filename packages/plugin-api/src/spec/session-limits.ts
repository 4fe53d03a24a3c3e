/** The longest chat session title, in characters (Unicode code points, see `textLength`). */
export const maxSessionTitleLength = 200;

/** The longest chat session description, in characters (Unicode code points, see `textLength`). */
export const maxSessionDescriptionLength = 2000;

/** The most sessions one page of a user's session list holds. */
export const maxSessionPage = 100;
