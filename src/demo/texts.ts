import type { DemoRng } from './rng.js';

/**
 * Review texts in five languages. Each text is built from a title and two body phrases of one
 * sentiment; the sentiment follows the rating (4–5 positive, 3 mixed, 1–2 negative), so a sentiment
 * model can be checked against the ratings.
 */

export type Language = 'nl' | 'en' | 'de' | 'fr' | 'ru';
export type Sentiment = 'positive' | 'mixed' | 'negative';

interface Phrases {
  titles: readonly string[];
  phrases: readonly string[];
}

const TEXTS: Record<Language, Record<Sentiment, Phrases>> = {
  nl: {
    positive: {
      titles: ['Top product!', 'Heel tevreden', 'Aanrader', 'Prima kwaliteit', 'Precies wat ik zocht'],
      phrases: [
        'Snel geleverd en netjes verpakt.',
        'De kwaliteit is echt uitstekend.',
        'Past perfect en ziet er mooi uit.',
        'Ik gebruik het elke dag met plezier.',
        'Goede prijs voor deze kwaliteit.',
        'Ik zou het zeker opnieuw kopen.',
      ],
    },
    mixed: {
      titles: ['Redelijk', 'Gaat wel', 'Niet slecht, niet geweldig'],
      phrases: [
        'Het product is oké, maar de levering duurde lang.',
        'Kwaliteit is gemiddeld voor deze prijs.',
        'Kleur valt iets anders uit dan op de foto.',
        'Doet wat het moet doen, meer niet.',
      ],
    },
    negative: {
      titles: ['Teleurgesteld', 'Slechte kwaliteit', 'Niet aan te raden', 'Nooit meer'],
      phrases: [
        'Na een week al kapot.',
        'De klantenservice reageert niet op mijn mails.',
        'Veel te laat geleverd en beschadigd.',
        'Ik heb het teruggestuurd en wacht nog steeds op mijn geld.',
        'Slechte pasvorm en goedkoop materiaal.',
      ],
    },
  },
  en: {
    positive: {
      titles: [
        'Great product',
        'Very happy',
        'Highly recommended',
        'Excellent quality',
        'Exactly what I wanted',
      ],
      phrases: [
        'Fast delivery and well packaged.',
        'The quality is excellent.',
        'Fits perfectly and looks great.',
        'I use it every day and love it.',
        'Great value for money.',
        'Would definitely buy again.',
      ],
    },
    mixed: {
      titles: ['It is okay', 'Average', 'Not bad, not great'],
      phrases: [
        'The product is fine but delivery took a long time.',
        'Average quality for the price.',
        'The colour is a bit different from the picture.',
        'Does the job, nothing more.',
      ],
    },
    negative: {
      titles: ['Disappointed', 'Poor quality', 'Do not buy', 'Never again'],
      phrases: [
        'Broke after one week.',
        'Customer service does not answer my emails.',
        'Arrived far too late and damaged.',
        'I returned it and am still waiting for my refund.',
        'Bad fit and cheap material.',
      ],
    },
  },
  de: {
    positive: {
      titles: [
        'Tolles Produkt',
        'Sehr zufrieden',
        'Absolut empfehlenswert',
        'Super Qualität',
        'Genau das Richtige',
      ],
      phrases: [
        'Schnelle Lieferung und gut verpackt.',
        'Die Qualität ist hervorragend.',
        'Passt perfekt und sieht toll aus.',
        'Ich benutze es jeden Tag sehr gerne.',
        'Preis-Leistung stimmt.',
        'Würde ich jederzeit wieder kaufen.',
      ],
    },
    mixed: {
      titles: ['Ganz okay', 'Durchschnittlich', 'Geht so'],
      phrases: [
        'Das Produkt ist in Ordnung, aber die Lieferung dauerte lange.',
        'Durchschnittliche Qualität für den Preis.',
        'Die Farbe weicht etwas vom Foto ab.',
        'Erfüllt seinen Zweck, mehr nicht.',
      ],
    },
    negative: {
      titles: ['Enttäuscht', 'Schlechte Qualität', 'Nicht empfehlenswert', 'Nie wieder'],
      phrases: [
        'Nach einer Woche kaputt.',
        'Der Kundenservice antwortet nicht auf meine E-Mails.',
        'Viel zu spät und beschädigt geliefert.',
        'Ich habe es zurückgeschickt und warte immer noch auf mein Geld.',
        'Schlechte Passform und billiges Material.',
      ],
    },
  },
  fr: {
    positive: {
      titles: ['Excellent produit', 'Très satisfaite', 'Je recommande', 'Très bonne qualité', 'Parfait'],
      phrases: [
        'Livraison rapide et bien emballé.',
        'La qualité est excellente.',
        'Taille parfaitement et très joli.',
        'Je l’utilise tous les jours avec plaisir.',
        'Très bon rapport qualité-prix.',
        'Je rachèterai sans hésiter.',
      ],
    },
    mixed: {
      titles: ['Correct', 'Moyen', 'Pas mal, sans plus'],
      phrases: [
        'Le produit est correct mais la livraison a été longue.',
        'Qualité moyenne pour le prix.',
        'La couleur est un peu différente de la photo.',
        'Fait le travail, sans plus.',
      ],
    },
    negative: {
      titles: ['Déçue', 'Mauvaise qualité', 'À éviter', 'Plus jamais'],
      phrases: [
        'Cassé au bout d’une semaine.',
        'Le service client ne répond pas à mes e-mails.',
        'Livré beaucoup trop tard et abîmé.',
        'Je l’ai renvoyé et j’attends toujours mon remboursement.',
        'Mauvaise coupe et matière bon marché.',
      ],
    },
  },
  ru: {
    positive: {
      titles: ['Отличный товар', 'Очень довольна', 'Рекомендую', 'Отличное качество', 'То, что нужно'],
      phrases: [
        'Быстрая доставка, хорошая упаковка.',
        'Качество отличное.',
        'Сидит идеально и выглядит красиво.',
        'Пользуюсь каждый день с удовольствием.',
        'Хорошее соотношение цены и качества.',
        'Обязательно куплю ещё.',
      ],
    },
    mixed: {
      titles: ['Нормально', 'Средне', 'Ни плохо, ни хорошо'],
      phrases: [
        'Товар нормальный, но доставка была долгой.',
        'Качество среднее для такой цены.',
        'Цвет немного отличается от фото.',
        'Свою функцию выполняет, не более.',
      ],
    },
    negative: {
      titles: ['Разочарована', 'Плохое качество', 'Не рекомендую', 'Больше никогда'],
      phrases: [
        'Сломалось через неделю.',
        'Служба поддержки не отвечает на письма.',
        'Доставили слишком поздно и с повреждениями.',
        'Вернула товар и до сих пор жду деньги.',
        'Плохо сидит, дешёвый материал.',
      ],
    },
  },
};

export function sentimentOf(rating: number): Sentiment {
  return rating >= 4 ? 'positive' : rating === 3 ? 'mixed' : 'negative';
}

export function writeReview(
  rng: DemoRng,
  language: Language,
  rating: number,
): { title: string; body: string } {
  const set = TEXTS[language][sentimentOf(rating)];
  const first = rng.int(set.phrases.length);
  let second = rng.int(set.phrases.length - 1);
  if (second >= first) second++;
  return { title: rng.pick(set.titles), body: `${set.phrases[first]} ${set.phrases[second]}` };
}

/** Complaint tickets (e-mails to customer service), by topic. Topic and language are planted truths. */
export const TICKET_TOPICS = ['late delivery', 'damaged item', 'refund', 'wrong item'] as const;
export type TicketTopic = (typeof TICKET_TOPICS)[number];

const TICKETS: Record<Language, Record<TicketTopic, readonly string[]>> = {
  nl: {
    'late delivery': [
      'Mijn bestelling is nog steeds niet geleverd.',
      'Het pakket is al twee weken onderweg.',
    ],
    'damaged item': ['Het product kwam beschadigd aan.', 'De doos was kapot en het artikel is gebroken.'],
    refund: ['Ik wacht al weken op mijn terugbetaling.', 'Waar blijft mijn geld voor de retour?'],
    'wrong item': ['Ik heb het verkeerde artikel ontvangen.', 'Verkeerde maat en kleur geleverd.'],
  },
  en: {
    'late delivery': ['My order still has not arrived.', 'The parcel has been on its way for two weeks.'],
    'damaged item': ['The product arrived damaged.', 'The box was crushed and the item is broken.'],
    refund: ['I have been waiting weeks for my refund.', 'Where is the money for my return?'],
    'wrong item': ['I received the wrong item.', 'Wrong size and colour delivered.'],
  },
  de: {
    'late delivery': [
      'Meine Bestellung ist immer noch nicht angekommen.',
      'Das Paket ist seit zwei Wochen unterwegs.',
    ],
    'damaged item': [
      'Der Artikel kam beschädigt an.',
      'Der Karton war zerdrückt und der Artikel ist kaputt.',
    ],
    refund: ['Ich warte seit Wochen auf meine Erstattung.', 'Wo bleibt das Geld für meine Rücksendung?'],
    'wrong item': ['Ich habe den falschen Artikel erhalten.', 'Falsche Größe und Farbe geliefert.'],
  },
  fr: {
    'late delivery': [
      'Ma commande n’est toujours pas arrivée.',
      'Le colis est en route depuis deux semaines.',
    ],
    'damaged item': ['Le produit est arrivé abîmé.', 'Le carton était écrasé et l’article est cassé.'],
    refund: ['J’attends mon remboursement depuis des semaines.', 'Où est l’argent de mon retour ?'],
    'wrong item': ['J’ai reçu le mauvais article.', 'Mauvaise taille et mauvaise couleur livrées.'],
  },
  ru: {
    'late delivery': ['Мой заказ до сих пор не доставлен.', 'Посылка в пути уже две недели.'],
    'damaged item': ['Товар пришёл повреждённым.', 'Коробка была смята, товар сломан.'],
    refund: ['Я уже несколько недель жду возврата денег.', 'Где деньги за мой возврат?'],
    'wrong item': ['Мне прислали не тот товар.', 'Доставили не тот размер и цвет.'],
  },
};

const PLEASE: Record<Language, string> = {
  nl: 'Graag een snelle oplossing.',
  en: 'Please solve this quickly.',
  de: 'Bitte um schnelle Lösung.',
  fr: 'Merci de régler cela rapidement.',
  ru: 'Прошу решить вопрос быстро.',
};

export function writeTicket(rng: DemoRng, language: Language, topic: TicketTopic): string {
  return `${rng.pick(TICKETS[language][topic])} ${PLEASE[language]}`;
}

/**
 * The planted topic of a ticket body written by `writeTicket` (its first sentence identifies it), or null for
 * any other text. Lets the demo print the topics it found next to the planted ones.
 */
export function ticketTopicOf(body: string): TicketTopic | null {
  for (const byTopic of Object.values(TICKETS))
    for (const topic of TICKET_TOPICS) if (byTopic[topic].some((s) => body.startsWith(s))) return topic;
  return null;
}
