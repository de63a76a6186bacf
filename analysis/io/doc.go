// Package io computes Antràs & Chor (2018) positions in global value chains from a
// world input–output table such as WIOD: upstreamness (distance from final use),
// downstreamness (production stages embodied), the final-use and value-added shares of
// gross output, all with the net inventory correction, per country-industry, per
// country on the table aggregated to country × country (Aggregate, as the paper's
// Table 1) and as gross-output-weighted averages per industry (Collapse), plus
// suggested chainmap link tiers.
//
// The package is named io after its directory; importers that also use the standard
// library's io should alias it, e.g. wio "github.com/chainmap/chainmap/analysis/io".
//
// References: P. Antràs and D. Chor (2018), "On the Measurement of Upstreamness and
// Downstreamness in Global Value Chains", in L. Y. Ing and M. Yu (eds.), World Trade
// Evolution, Routledge, 126–194 (NBER WP 24185); P. Antràs, D. Chor, T. Fally and
// R. Hillberry (2012), "Measuring the Upstreamness of Production and Trade Flows",
// AER P&P 102(3); M. P. Timmer et al. (2015), "An Illustrated User Guide to the World
// Input–Output Database", Review of International Economics 23 (WIOD data).
package io
