import { negatedStones } from './extract-jewelry-properties.js';
import { isGold } from './jewelry-properties.js';

/** Words that point at the last design ("make it a pendant", "đổi nó sang…"). */
const pointing = /(?<!\p{L})(?:it|this|that|this one|the same|nó|này|đó|cái này)(?!\p{L})/iu;
/** Words that ask for a new design rather than a change of the last one. */
const newDesign = /^\s*(?:please\s+)?(?:design|create|draw|sketch|generate|show me|make (?:me )?(?:a|an|some|\d+)(?!\p{L})|tạo|tao|thiết kế|thiet ke|vẽ|ve|cho (?:tôi|toi|mình|minh) xem)(?!\p{L})|(?<!\p{L})(?:new|another|different|mới|moi|khác|khac)(?!\p{L})/iu;
/** Words that add stones to the ones there are. */
const adding = /(?<!\p{L})(?:add|adding|plus|also|more|thêm|them|đính thêm|dinh them)(?!\p{L})/iu;

/**
 * How a follow-up changes the session's last jewellery design (`chat.revises`): "make it rose
 * gold", "add a small sapphire", "đổi sang vàng trắng", "make it a pendant" keep every other
 * property (and the seed, so the picture changes only as asked). Stones named after "add"/"thêm"
 * join the ones there are (a second diamond too); stones taken away ("remove the diamond", "replace
 * the ruby with an emerald", "bỏ kim cương") leave the others; stones named otherwise replace them
 * all ("no stones" removes them all). A karat is dropped when the metal stops being gold. Words that ask for a new design ("design a necklace with emeralds", "another
 * ring") or name another piece without pointing at the last one ("I want earrings with pearls")
 * start a new design from what they say alone.
 *
 * @example
 * reviseJewelryDesign({ piece: 'ring', metal: 'yellow-gold', gemstones: [{ kind: 'diamond' }] }, { gemstones: [{ kind: 'sapphire', size: 'small' }] }, 'add a small sapphire');
 * // { piece: 'ring', metal: 'yellow-gold', gemstones: [{ kind: 'diamond' }, { kind: 'sapphire', size: 'small' }] }
 */
export function reviseJewelryDesign(previous: Record<string, unknown>, requested: Record<string, unknown>, words: string): Record<string, unknown> {
  const otherPiece = requested.piece !== undefined && requested.piece !== previous.piece && !pointing.test(words);
  if (requested.piece !== undefined && (newDesign.test(words) || otherPiece)) return requested;
  const revised: Record<string, unknown> = { ...previous, ...requested };
  const named = (requested.gemstones as Array<{ kind: string }> | undefined) ?? [];
  const removed = negatedStones(words);
  const before = ((previous.gemstones as Array<{ kind: string }> | undefined) ?? []).filter((stone) => !removed.includes(stone.kind as never));
  // "remove the diamond", "replace the ruby with an emerald", "add a small sapphire": the other stones stay.
  if (removed.length > 0 || (named.length > 0 && adding.test(words))) revised.gemstones = [...before, ...named];
  if (requested.metal !== undefined && requested.karat === undefined && !isGold(String(requested.metal))) delete revised.karat;
  return revised;
}
