// Package advice turns findings into plain-language verdicts and step-by-step
// fix guides. It is pure: no network, no terminal, no clock reads.
package advice
