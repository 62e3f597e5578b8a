import type { LexiconSource } from './types.js';

/**
 * Portuguese (Brazilian and European spelling). Written by hand for this project from general Portuguese
 * vocabulary of liking, quality, delivery and complaints; stems cover gender, number and verb endings
 * (`decepcion*`, `atras*`). Not derived from the Olist reviews: the golden test only evaluates it there.
 */
export const pt: LexiconSource = {
  words: `bom:2 boa:2 bons:2 boas:2 ótim*:3 excelent*:3 perfeit*:3 maravilh*:3 incrível:3 incríveis:3
    fantástic*:3 sensacional:3 espetacular:3 lind*:2.5 bonit*:2 adorei:3 ador*:3 amei:3 amo:3 amou:3
    gostei:2 gost*:2 satisfeit*:2.5 feliz:2.5 contente:2 recomend*:2.5 parabéns:2.5 obrigad*:1.5
    agradeç*:1.5 agradáv*:2 rápid*:1.5 eficien*:2 confiáv*:2 honest*:2 atencios*:2 educad*:1.5
    legal:1.5 top:2 show:1.5 beleza:1.5 bacana:2 massa:1 melhor:2 melhores:2 qualidade:0.5 funcion*:1
    recebi:1.5 receb*:1 cheg*:1 entregue:1 entreg*:0.5 corret*:1 certinh*:1.5 conforme:1 certo:1 tranquil*:1.5
    prátic*:1.5 fácil:1.5 confortáv*:2 resistente:1.5 caprich*:2 super:2 sucesso:2 seguro:1 segura:1
    ruim:-2.5 ruins:-2.5 péssim*:-3 horrív*:-3 terrív*:-3 pior:-2.5 piores:-2.5 decepç*:-2.5 decepcion*:-2.5
    insatisf*:-2.5 triste:-2 chatead*:-2 raiva:-2.5 absurd*:-2.5 vergonh*:-2.5 lixo:-3 fraud*:-3 golpe:-3
    engan*:-2.5 descaso:-2.5 desrespeit*:-2.5 atras*:-2 demor*:-1.5 defeit*:-2.5 quebr*:-2.5 danific*:-2.5
    estrag*:-2.5 amass*:-1.5 rasg*:-2 errad*:-2 erro:-2 problem*:-2 falt*:-1.5 cancel*:-1.5 devolv*:-1.5
    devoluç*:-1.5 reembols*:-1.5 reclam*:-2 aguard*:-1 esperando:-1 mal:-1.5 fraco:-1.5 fraca:-1.5
    frágil:-1 arrepend*:-2.5 infeliz*:-2 inútil:-2.5 horror*:-3 caro:-1 difícil:-1 diferente:-1
    prejuízo:-2.5 abus*:-2.5 lament*:-2 desist*:-1.5 incomplet*:-2 sumiu:-2 extravi*:-2.5`,
  negators: 'não nao nunca nem sem jamais nenhum nenhuma ninguém nada',
  intensifiers: `muito:1.3 muita:1.3 muitos:1.2 super:1.3 bem:1.2 extremamente:1.5 totalmente:1.3 bastante:1.2
    tão:1.3 demais:1.2 completamente:1.3 realmente:1.3 mega:1.4 pouco:0.6 meio:0.7 levemente:0.6 mais:1.1`,
  contrast: 'mas porém porem entretanto contudo todavia',
  requests: 'por_favor favor_de peço solicito',
};
