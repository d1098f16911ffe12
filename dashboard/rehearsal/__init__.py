"""The rehearsal election: a simulated package and a replayed election night."""
