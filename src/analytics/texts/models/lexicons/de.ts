import type { LexiconSource } from './types.js';

/**
 * German. Written by hand for this project from everyday German review and service vocabulary; stems
 * cover inflection (`enttäusch*`, `beschädig*`). Trailing `nicht` negates the verb before it ("gefällt mir
 * nicht", "funktioniert nicht mehr").
 */
export const de: LexiconSource = {
  words: `gut:2 gute:2 guter:2 gutes:2 guten:2 toll*:2.5 super:2.5 prima:2 hervorragend*:3 ausgezeichnet*:3
    perfekt*:3 wunderbar*:3 fantastisch*:3 großartig*:3 klasse:2.5 spitze:3 schön*:2 zufrieden*:2.5
    glücklich*:2.5 begeistert:3 empfehl*:2.5 empfehlenswert:2.5 liebe:2.5 lieben:2.5 gefällt:2 gefallen:2
    schnell*:1.5 einfach:1 bequem*:2 zuverlässig*:2 freundlich*:2 hilfsbereit*:2 beste:2.5 besser:1.5
    lohnt:1.5 preiswert:1.5 günstig:1 danke:1.5 dank:1 passt:1 funktioniert:1 funktionier*:1 stabil*:1.5
    bestens:3 geliefert:0.5 erhalten:0.5 angekommen:1 ordentlich*:1.5 okay:0.5 ok:0.5 gerne:2 gern:2 freude:2
    schlecht*:-2.5 enttäusch*:-2.5 furchtbar*:-3 schrecklich*:-3 katastroph*:-3 mies*:-2.5 miserabel*:-3
    kaputt*:-2.5 beschädig*:-2.5 defekt*:-2.5 zerbroch*:-2.5 gebrochen:-2.5 zerdrückt:-2 falsch*:-2
    spät*:-1.5 verspät*:-2 verzöger*:-2 langsam*:-1.5 problem*:-2 reklamation*:-2 beschwerde*:-2
    erstattung*:-1.5 rücksendung*:-1 zurückgeschickt:-1.5 zurückschicken:-1.5 warte:-1 warten:-1.5
    unfreundlich*:-2.5 unzufrieden*:-2.5 ärger*:-2 wütend:-2.5 frust*:-2.5 betrug*:-3 betrüger*:-3
    abzocke:-3 fake:-2.5 hässlich*:-2 billig*:-1 teuer*:-1 schade:-1.5 leider:-1.5 müll:-3 schrott:-3
    mangelhaft*:-2.5 mangel:-2 unbrauchbar*:-2.5 nutzlos*:-2.5 ärgerlich*:-2 unverschämt*:-3
    inakzeptabel*:-3 lächerlich*:-2.5 bereue:-2.5 durchschnittlich*:-0.5 mittelmäßig*:-1.5 fehlt:-2
    fehlen*:-2 verloren:-2 unterwegs:-0.5`,
  negators: 'nicht kein keine keinen keinem keiner keines nie niemals nichts niemand ohne weder',
  intensifiers: `sehr:1.3 wirklich:1.3 echt:1.3 extrem:1.5 absolut:1.4 total:1.3 völlig:1.3 ganz:1.2 so:1.2
    zu:1.2 viel:1.2 besonders:1.3 äußerst:1.5 super:1.3 ziemlich:1.1 etwas:0.7 bisschen:0.6 leicht:0.7
    eher:0.8`,
  contrast: 'aber jedoch allerdings trotzdem dennoch sondern',
  requests: 'bitte',
  trailingNegators: 'nicht',
  trailingParticles: 'mehr wirklich so gut richtig',
};
