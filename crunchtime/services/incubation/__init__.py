"""Incubation: flags computed from an edition's signals, the classifier trained on past
editions, the organisers' review and imported outcomes (algorithms: crunchtime/incubation/)."""
