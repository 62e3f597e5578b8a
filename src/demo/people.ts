import type { Country } from './geography.js';
import { PHONE } from './geography.js';
import type { DemoRng } from './rng.js';

/**
 * Names and demographics. Every string here fits in Latin-1 (the Dutch and German exports are Latin-1).
 * Russian-speaking customers exist (they write reviews in Russian) but carry Latin-script names, as they
 * would in a European CRM.
 */

const FIRST: Record<Country, { F: readonly string[]; M: readonly string[] }> = {
  NL: {
    F: [
      'Anna',
      'Emma',
      'Sophie',
      'Julia',
      'Lotte',
      'Sanne',
      'Femke',
      'Inge',
      'Marieke',
      'Anouk',
      'Eline',
      'Noor',
      'Fleur',
      'Ilse',
      'Joke',
      'Renée',
      'Chloë',
    ],
    M: [
      'Jan',
      'Pieter',
      'Daan',
      'Sem',
      'Lucas',
      'Thijs',
      'Bram',
      'Joost',
      'Maarten',
      'Sander',
      'Ruud',
      'Wouter',
      'Kees',
      'Henk',
      'Floris',
      'Jeroen',
      'Niels',
    ],
  },
  BE: {
    F: [
      'Marie',
      'Louise',
      'Elise',
      'Lien',
      'Charlotte',
      'Hélène',
      'Nathalie',
      'Sofie',
      'Ine',
      'Amélie',
      'Joke',
      'Céline',
    ],
    M: [
      'Arthur',
      'Louis',
      'Wout',
      'Jules',
      'Thomas',
      'Pieter-Jan',
      'Koen',
      'Maxime',
      'Benoît',
      'Stijn',
      'Dries',
      'François',
    ],
  },
  DE: {
    F: [
      'Anna',
      'Lena',
      'Leonie',
      'Hannah',
      'Katharina',
      'Julia',
      'Sabine',
      'Petra',
      'Ursula',
      'Jana',
      'Maren',
      'Jördis',
      'Käthe',
    ],
    M: [
      'Lukas',
      'Jonas',
      'Felix',
      'Maximilian',
      'Jürgen',
      'Sören',
      'Stefan',
      'Thomas',
      'Wolfgang',
      'Uwe',
      'Matthias',
      'Björn',
      'Jörg',
    ],
  },
  FR: {
    F: [
      'Camille',
      'Léa',
      'Manon',
      'Chloé',
      'Inès',
      'Zoé',
      'Émilie',
      'Aurélie',
      'Céline',
      'Sylvie',
      'Mélanie',
      'Françoise',
    ],
    M: [
      'Lucas',
      'Hugo',
      'Théo',
      'Mathis',
      'Nicolas',
      'Julien',
      'Stéphane',
      'Jérôme',
      'Frédéric',
      'Loïc',
      'Benoît',
      'Gaëtan',
    ],
  },
};

const LAST: Record<Country, readonly string[]> = {
  NL: [
    'de Jong',
    'Jansen',
    'de Vries',
    'van den Berg',
    'van Dijk',
    'Bakker',
    'Janssen',
    'Visser',
    'Smit',
    'Meijer',
    'de Boer',
    'Mulder',
    'de Groot',
    'Bos',
    'Vos',
    'Peters',
    'Hendriks',
    'van Leeuwen',
    'Dekker',
    'Brouwer',
    'de Wit',
    'Dijkstra',
    'Smits',
    "van 't Hof",
    'Kuipers',
  ],
  BE: [
    'Peeters',
    'Janssens',
    'Maes',
    'Jacobs',
    'Mertens',
    'Willems',
    'Claes',
    'Goossens',
    'Wouters',
    'De Smet',
    'Dubois',
    'Lambert',
    'Dupont',
    'Leroy',
    'Lemaître',
    'Van Damme',
    'Vandenberghe',
  ],
  DE: [
    'Müller',
    'Schmidt',
    'Schneider',
    'Fischer',
    'Weber',
    'Meyer',
    'Wagner',
    'Becker',
    'Schulz',
    'Hoffmann',
    'Schäfer',
    'Koch',
    'Bauer',
    'Richter',
    'Klein',
    'Wolf',
    'Schröder',
    'Neumann',
    'Schwarz',
    'Zimmermann',
    'Krüger',
    'Weiß',
    'Hartmann',
    'Lange',
    'Günther',
  ],
  FR: [
    'Martin',
    'Bernard',
    'Thomas',
    'Petit',
    'Robert',
    'Richard',
    'Durand',
    'Dubois',
    'Moreau',
    'Laurent',
    'Simon',
    'Michel',
    'Lefèvre',
    'Leroy',
    'Roux',
    'David',
    'Bertrand',
    'Fournier',
    'Girard',
    'Bonnet',
    'Mercier',
    'Lefebvre',
  ],
};

/** Russian-speaking customers (about 2% in DE, 1% elsewhere) have these names. */
const RU_FIRST = {
  F: ['Olga', 'Natalia', 'Irina', 'Svetlana', 'Anastasia'],
  M: ['Sergej', 'Dmitri', 'Alexej', 'Ivan', 'Nikolai'],
};
const RU_LAST = ['Ivanov', 'Petrov', 'Smirnov', 'Kuznetsov', 'Popov', 'Volkov', 'Sokolov'];

const STREETS: Record<Country, readonly string[]> = {
  NL: [
    'Kerkstraat',
    'Dorpsstraat',
    'Molenweg',
    'Stationsweg',
    'Julianastraat',
    'Beatrixlaan',
    'Prinsengracht',
    'Schoolstraat',
    'Lindelaan',
    'Parallelweg',
  ],
  BE: [
    'Kerkstraat',
    'Stationsstraat',
    'Rue de la Gare',
    "Rue de l'Église",
    'Dorpsstraat',
    'Chaussée de Louvain',
    'Grote Markt',
    'Avenue Louise',
  ],
  DE: [
    'Hauptstraße',
    'Schulstraße',
    'Gartenstraße',
    'Bahnhofstraße',
    'Dorfstraße',
    'Bergstraße',
    'Lindenstraße',
    'Kirchweg',
    'Am Markt',
    'Goethestraße',
  ],
  FR: [
    'rue de la République',
    'rue Victor Hugo',
    'avenue Jean Jaurès',
    'rue Pasteur',
    'boulevard Voltaire',
    'place de la Mairie',
    'rue des Écoles',
    'chemin du Moulin',
  ],
};

export const INCOME_BANDS = ['<20k', '20-40k', '40-60k', '60-80k', '80-120k', '>120k'] as const;
export const OCCUPATIONS = [
  'employee',
  'manager',
  'self-employed',
  'civil servant',
  'student',
  'retired',
  'homemaker',
  'unemployed',
] as const;
export const EDUCATIONS = ['primary', 'secondary', 'vocational', 'bachelor', 'master', 'doctorate'] as const;

export type Gender = 'F' | 'M' | 'X';

export interface Person {
  gender: Gender;
  firstName: string;
  lastName: string;
  russian: boolean;
  /** Age in years at asOf. */
  age: number;
  incomeBand: string;
  /** Index into INCOME_BANDS (0 lowest). */
  incomeLevel: number;
  occupation: string;
  education: string;
  street: string;
  email: string;
  phone: string;
}

const MAIL_DOMAINS: Record<Country, readonly string[]> = {
  NL: ['gmail.com', 'hotmail.com', 'ziggo.nl', 'kpnmail.nl', 'outlook.com', 'xs4all.nl'],
  BE: ['gmail.com', 'telenet.be', 'skynet.be', 'hotmail.com', 'proximus.be'],
  DE: ['gmail.com', 'web.de', 'gmx.de', 't-online.de', 'outlook.de'],
  FR: ['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'hotmail.fr', 'sfr.fr'],
};

/** Strips accents and spaces for the e-mail's local part: "Jürgen Weiß" → "jurgen.weiss". */
export function mailName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replaceAll('ß', 'ss')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
}

export function createPerson(
  rng: DemoRng,
  country: Country,
  index: number,
  urbanShare: number,
  /** Web sign-up forms store numbers internationally (+CC). */
  internationalPhone = false,
): Person {
  const g = rng.next();
  const gender: Gender = g < 0.56 ? 'F' : g < 0.99 ? 'M' : 'X';
  const russian = rng.chance(country === 'DE' ? 0.02 : 0.01);
  const nameGender = gender === 'X' ? (rng.chance(0.5) ? 'F' : 'M') : gender;
  const firstName = russian ? rng.pick(RU_FIRST[nameGender]) : rng.pick(FIRST[country][nameGender]);
  const lastName = russian ? rng.pick(RU_LAST) : rng.pick(LAST[country]);
  // Age: mixture of young urban shoppers and an older core.
  const age = Math.round(
    Math.min(
      88,
      Math.max(18, rng.chance(0.3 + 0.2 * urbanShare) ? 22 + rng.gamma(3, 3) : 38 + rng.normal() * 13),
    ),
  );
  const occupation =
    age >= 67
      ? 'retired'
      : age < 24 && rng.chance(0.55)
        ? 'student'
        : OCCUPATIONS[rng.weighted([50, 10, 11, 9, 0, 2, 4, 4])]!;
  const education = EDUCATIONS[rng.weighted(age < 24 ? [2, 45, 28, 20, 5, 0] : [6, 28, 24, 25, 14, 3])]!;
  const eduBoost = EDUCATIONS.indexOf(education as (typeof EDUCATIONS)[number]);
  const ageBoost = age < 25 ? -1.2 : age > 67 ? -0.6 : age > 35 && age < 60 ? 0.4 : 0;
  const occBoost =
    occupation === 'manager' ? 1.2 : occupation === 'student' || occupation === 'unemployed' ? -1.3 : 0;
  const level = Math.round(
    Math.max(0, Math.min(5, 1.2 + 0.35 * eduBoost + ageBoost + occBoost + rng.normal() * 0.9)),
  );
  const domain = rng.pick(MAIL_DOMAINS[country]);
  const local = `${mailName(firstName)}.${mailName(lastName)}${index}`; // unique: no accidental identity merges
  const phone = PHONE[country];
  // Phones are written the way people type them: national format with a trunk 0, or international.
  // Unique per customer (up to 1M customers): the subscriber digits are a bijection of the customer number.
  const national =
    rng.pick(phone.mobilePrefix) +
    String((index * 7919 + 104729) % 10 ** phone.digits).padStart(phone.digits, '0');
  // Belgian numbers sit in a Dutch export, so they are always written internationally.
  const national0 = rng.chance(0.6);
  const phoneText =
    country !== 'BE' && !internationalPhone && national0 ? `0${national}` : `+${phone.code} ${national}`;
  return {
    gender,
    firstName,
    lastName,
    russian,
    age,
    incomeBand: INCOME_BANDS[level]!,
    incomeLevel: level,
    occupation,
    education,
    street: `${rng.pick(STREETS[country])} ${1 + rng.int(180)}${rng.chance(0.1) ? rng.pick(['a', 'b', 'bis', '-2']) : ''}`,
    email: `${local}@${domain}`,
    phone: phoneText,
  };
}
