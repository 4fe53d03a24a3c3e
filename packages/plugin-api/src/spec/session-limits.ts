/** The longest chat session title, in characters (UTF-16 code units). */
export const maxSessionTitleLength = 200;

/** The longest chat session description, in characters (UTF-16 code units). */
export const maxSessionDescriptionLength = 2000;

/** The most sessions one page of a user's session list holds. */
export const maxSessionPage = 100;
