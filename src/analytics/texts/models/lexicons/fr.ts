import type { LexiconSource } from './types.js';

/**
 * French. Written by hand for this project from everyday French review and service vocabulary; stems
 * cover gender and number (`déçu*`, `abîm*`). Both halves of "ne … pas" are negators (the flag is set, not
 * toggled, so the pair negates once); "pas mal" therefore reads as mildly positive.
 */
export const fr: LexiconSource = {
  words: `bon:2 bonne:2 bons:2 bonnes:2 bien:1.5 excellent*:3 parfait*:3 super:2.5 génial*:3 formidable*:3
    magnifique*:3 merveill*:3 superbe*:3 top:2.5 joli*:2 beau:2 belle:2 satisfait*:2.5 content*:2.5
    heureu*:2.5 ravi*:3 recommand*:2.5 aime:2 aimé:2 adore:3 adoré:3 plaisir:2 rapide*:1.5 facile*:1.5
    confortable*:2 fiable*:2 aimable*:2 sympa*:2 efficace*:2 meilleur*:2.5 mieux:1.5 merci:1.5
    impeccable*:3 correct*:0.5 conforme*:1 fonctionne:1 marche:0.5 livré*:1 reçu*:1 arrivé*:1
    solide*:1.5 agréable*:2 qualité:0.5 bravo:2.5 nickel:2.5 idéal*:2.5 pratique*:1.5
    mauvais*:-2.5 nul:-3 nulle:-3 horrible*:-3 affreu*:-3 terrible*:-2.5 pire:-3 déçu*:-2.5 décevant*:-2.5
    déception*:-2.5 cassé*:-2.5 casse:-2 abîm*:-2.5 endommag*:-2.5 défectueu*:-2.5 défaut*:-2 écras*:-2
    retard*:-2 tard:-1.5 lent*:-1.5 problème*:-2 plainte*:-2 réclamation*:-2 rembours*:-1.5 renvoy*:-1.5
    retour*:-1 attend*:-1.5 attente:-1.5 impoli*:-2.5 insatisf*:-2.5 mécontent*:-2.5 énerv*:-2 colère:-2.5
    arnaque*:-3 escroc*:-3 faux:-1.5 fausse:-1.5 laid*:-2 cher:-1 chère:-1 dommage:-1.5 hélas:-1.5
    malheureusement:-1.5 catastroph*:-3 inacceptable*:-3 ridicule*:-2.5 éviter:-2 regrett*:-2
    moyen*:-0.5 médiocre*:-2 manqu*:-2 perdu*:-2 mal:-1.5`,
  negators: "ne n' pas jamais rien aucun aucune personne sans ni guère plus",
  intensifiers: `très:1.3 vraiment:1.3 trop:1.3 extrêmement:1.5 tellement:1.4 vachement:1.3 super:1.3
    totalement:1.3 complètement:1.3 absolument:1.4 si:1.2 assez:1.1 peu:0.6 légèrement:0.6 plutôt:0.9`,
  contrast: 'mais cependant pourtant toutefois néanmoins',
  requests: 'merci_de merci_d veuillez svp stp',
};
