// Subject matching is core's: durable streams and the docs' event graph must agree on it.
export { subjectCovers as subjectMatches, subjectsOverlap, hasWildcard } from '@natsmesh/core';
