// Package graph holds chainmap's domain model — regions, clusters, chains, links,
// companies, chain leaders, supply ties and investment projects — together with the
// rules that make a dataset valid and the Store interface its backends implement.
//
// Data flows one way: a Store (graph/sqlite, graph/neo4j) holds the graph, analyses
// read an immutable snapshot of it, and the API and CLI present the results.
package graph
