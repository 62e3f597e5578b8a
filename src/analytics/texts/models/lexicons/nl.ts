import type { LexiconSource } from './types.js';

/**
 * Dutch. Written by hand for this project from everyday Dutch review and service vocabulary; stems cover
 * inflection (`teleurgesteld`/`teleurstelling` via `teleur*`). Trailing `niet` negates the verb before it
 * ("het werkt niet", "ik raad het niet aan").
 */
export const nl: LexiconSource = {
  words: `goed:2 goede:2 prima:2 uitstekend*:3 perfect*:3 geweldig*:3 fantastisch*:3 super:2.5 top:2.5
    mooi:2 mooie:2 prachtig*:3 fijn*:2 leuk*:2 heerlijk*:2.5 tevreden:2.5 blij:2.5 aanrader:3 aanraden:2
    raad:1.5 aanbevel*:2 snel:1.5 snelle:1.5 netjes:1.5 handig*:1.5 makkelijk*:1.5 comfortabel*:2
    betrouwba*:2 vriendelijk*:2 behulpzaam:2 beste:2.5 beter:1.5 waard:1 plezier:2 dank*:1.5 bedankt:1.5
    oké:0.5 oke:0.5 redelijk:0.5 degelijk*:1.5 stevig*:1.5 werkt:1 werken:1 geleverd:1 ontvangen:1 past:1
    correct:1 keurig:2 knap:1.5 gezellig:2 genieten:2 geniet:2 schitterend*:3 sterk:1.5 precies:1
    slecht*:-2.5 teleur*:-2.5 vreselijk*:-3 verschrikkelijk*:-3 waardeloos:-3 waardeloze:-3 kapot*:-2.5
    beschadig*:-2.5 gebroken:-2.5 defect*:-2.5 verkeerd*:-2 laat:-1 vertraag*:-2 traag:-1.5
    trage:-1.5 langzaam:-1.5 probleem:-2 problemen:-2 klacht*:-2 terugbetal*:-1.5 retour*:-1 terugstur*:-1.5
    teruggestuurd:-1.5 wachten:-1.5 wacht:-1 onvriendelijk*:-2.5 ontevreden:-2.5 boos:-2.5 geërgerd:-2
    erger*:-2 frustr*:-2.5 oplichter*:-3 oplichting:-3 nep:-2.5 lelijk*:-2 goedkoop:-1 duur:-1 zonde:-2
    jammer:-1.5 helaas:-1.5 rommel:-2.5 troep:-3 spijt:-2 ramp*:-3 onacceptabel:-3 belachelijk:-2.5
    vermijd*:-2 gemiddeld*:-0.5 matig*:-1.5 ontbre*:-2 kwijt:-2 zoek:-0.5 onderweg:-0.5`,
  negators: 'niet geen nooit niets niemand zonder nergens noch',
  intensifiers: `heel:1.3 erg:1.3 zeer:1.4 echt:1.3 super:1.3 enorm:1.5 ontzettend:1.5 totaal:1.3 helemaal:1.3
    zo:1.2 te:1.2 veel:1.2 best:1.1 behoorlijk:1.2 vrij:0.9 beetje:0.6 iets:0.7 wat:0.8 nogal:0.9`,
  contrast: 'maar echter toch alhoewel hoewel',
  requests: 'graag gelieve alstublieft alsjeblieft svp',
  trailingNegators: 'niet',
  trailingParticles: 'meer aan echt',
};
