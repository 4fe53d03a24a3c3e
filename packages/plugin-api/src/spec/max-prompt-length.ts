/** The longest prompt, in characters (Unicode code points, see `textLength`), any feature or the refiner accepts. */
export const maxPromptLength = 2000;
