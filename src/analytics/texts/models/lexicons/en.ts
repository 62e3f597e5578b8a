import type { LexiconSource } from './types.js';

/**
 * English. Written by hand for this project from everyday review and service vocabulary (adjectives of
 * quality, verbs of liking and recommending, words for breakage, delay and refunds); valences on the
 * −3…+3 scale in the style of AFINN and VADER, but no entry was copied from those lists.
 */
export const en: LexiconSource = {
  words: `good:2 great:3 excellent:3 perfect*:3 superb:3 outstanding:3 amazing:3 awesome:3 wonderful:3
    fantastic:3 brilliant:3 lovely:2.5 love:3 loved:3 loves:3 loving:2.5 like:1.5 liked:1.5 likes:1.5
    nice:2 beautiful*:2.5 pretty:1.5 happy:2.5 pleased:2.5 satisf*:2 delight*:3 enjoy*:2 glad:2
    recommend*:2.5 fast:1.5 quick*:1.5 easy:1.5 comfortabl*:2 reliabl*:2 helpful:2 friendly:2 polite:1.5
    fine:1 ok:0.5 okay:0.5 decent:1 solid:1.5 sturdy:1.5 well:1 best:3 better:1.5 worth:1.5 value:1
    thank*:1.5 impress*:2.5 flawless*:3 fits:1 works:1 work:1 worked:1 working:1 arrived:1 received:1
    delivered:1 correct:1 accurate:1 clean:1 fresh:1 soft:1 cheap:-0.5 bargain:1.5 smooth*:1.5
    top:2 super:2.5 favourite:2.5 favorite:2.5 gorgeous:3 exactly:1
    bad:-2.5 poor*:-2.5 terribl*:-3 horribl*:-3 awful:-3 worst:-3 worse:-2.5 disappoint*:-2.5
    useless:-2.5 broken:-2.5 broke:-2.5 break*:-2 damag*:-2.5 defect*:-2.5 faulty:-2.5 wrong:-2
    late:-1.5 delay*:-2 slow*:-1.5 missing:-2 lost:-2 problem*:-2 issue*:-1.5 complain*:-2
    refund*:-1.5 return*:-1 waiting:-1.5 wait*:-1 rude:-2.5 unhelpful:-2.5 unhappy:-2.5
    dissatisf*:-2.5 annoy*:-2 angry:-2.5 frustrat*:-2.5 scam*:-3 fraud*:-3 waste*:-2.5 rubbish:-2.5
    garbage:-3 crap*:-3 hate*:-3 dislike*:-2 ugly:-2 flimsy:-2 fake:-2.5 overpriced:-2 expensive:-1
    crush*:-2 torn:-2 leak*:-2 stain*:-1.5 fail*:-2 cancel*:-1.5 unacceptabl*:-3 ridiculous:-2.5
    avoid:-2 regret*:-2.5 sad:-2 upset:-2.5 mediocre:-1.5 average:-0.5 meh:-1 cheaply:-1.5 nightmare:-3`,
  negators: `not no never nothing nobody none neither nor without cannot can't don't doesn't didn't isn't
    aren't wasn't weren't won't wouldn't shouldn't couldn't haven't hasn't hadn't dont doesnt didnt isnt
    wasnt cant wont hardly`,
  intensifiers: `very:1.3 really:1.3 extremely:1.5 so:1.25 too:1.2 totally:1.3 absolutely:1.4 incredibly:1.5
    highly:1.3 super:1.3 most:1.2 truly:1.3 completely:1.3 quite:1.1 slightly:0.6 somewhat:0.7 bit:0.7
    little:0.7 fairly:0.85 rather:0.9`,
  contrast: 'but however although though yet',
  requests: 'please pls kindly',
};
