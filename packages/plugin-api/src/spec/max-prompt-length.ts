/** The longest prompt, in characters (UTF-16 code units), any feature or the refiner accepts. */
export const maxPromptLength = 2000;
