// Topic names, from the one list (topics.json beside this file) the launcher, compose, tests and
// deployment also read.
import topics from './topics.json';

export const USERS_CREATED_TOPIC = topics.usersCreated.name;
export const USERS_DEAD_LETTER_TOPIC = topics.usersDeadLetter.name;
