/** The demo shop generator's public entry (used by `clientele demo`). */
export {
  DEFAULT_AS_OF,
  type DemoFile,
  type DemoManifest,
  type DemoOptions,
  type DemoResult,
  generateDemo,
  type PlantedProblem,
} from './generate.js';
export { sentimentOf, TICKET_TOPICS, type TicketTopic, ticketTopicOf } from './texts.js';
