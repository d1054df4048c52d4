"""Approximate seat prices by a vectorised auction: a cheap warm start for the exact LP.

Students bid for seats (a friend group's members bid as identical persons); a challenge
keeps its best bids up to size_max x teams_wanted seats and its price is its lowest kept
bid once full. Bertsekas' epsilon-complementary slackness makes every student's seat worth
within epsilon of their best, so the prices are close to the LP's.
"""

from __future__ import annotations

import numpy as np

from crunchtime.matching.problem import AssignmentProblem

EPSILON_SHARE = 1e-3
MAX_ROUNDS = 20_000


def auction_prices(problem: AssignmentProblem) -> np.ndarray | None:
    """Per-student seat price of each challenge, or None if the auction does not settle
    (prices beyond any feasible problem's: some students cannot all get a seat)."""
    owner = np.repeat(np.arange(problem.n_units), problem.size)
    values = (problem.utility / problem.size[:, None])[owner]
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.zeros(problem.n_challenges)
    span = float(finite.max() - finite.min()) + 1.0
    epsilon = EPSILON_SHARE * max(float(np.abs(finite).max()), 1.0)
    capacity = problem.size_max * problem.teams_wanted
    state = _AuctionState(len(owner), problem.n_challenges)
    ceiling = (span + epsilon) * (len(owner) + 1)
    for _ in range(MAX_ROUNDS):
        bidders = np.flatnonzero(state.seat < 0)
        if bidders.size == 0:
            return state.price
        if state.price.max() > ceiling:
            return None
        choice, bid = _bids(values[bidders], state.price, span, epsilon)
        state.settle(bidders, choice, bid, capacity)
    return None


class _AuctionState:
    def __init__(self, persons: int, challenges: int) -> None:
        self.seat = np.full(persons, -1, dtype=np.int64)
        self.paid = np.zeros(persons)
        self.price = np.zeros(challenges)

    def settle(self, bidders, choice, bid, capacity) -> None:
        """Each challenge that got bids keeps its best offers up to capacity."""
        hit = np.zeros(len(self.price), dtype=bool)
        hit[choice] = True
        holders = np.flatnonzero((self.seat >= 0) & hit[np.maximum(self.seat, 0)])
        who = np.concatenate([holders, bidders])
        where = np.concatenate([self.seat[holders], choice])
        offer = np.concatenate([self.paid[holders], bid])
        order = np.lexsort((-offer, where))
        who, where, offer = who[order], where[order], offer[order]
        first = np.searchsorted(where, np.arange(len(self.price)))
        kept = np.arange(len(order)) - first[where] < capacity[where]
        self.seat[who] = -1
        self.seat[who[kept]] = where[kept]
        self.paid[who[kept]] = offer[kept]
        count = np.bincount(where[kept], minlength=len(self.price))
        lowest = np.full(len(self.price), np.inf)
        np.minimum.at(lowest, where[kept], offer[kept])
        self.price = np.where(hit, np.where(count >= capacity, lowest, 0.0), self.price)


def _bids(values: np.ndarray, price: np.ndarray, span: float, epsilon: float):
    net = values - price
    if net.shape[1] == 1:
        return np.zeros(len(net), dtype=np.int64), price[0] + np.full(len(net), epsilon)
    top2 = np.argpartition(-net, 1, axis=1)[:, :2]
    rows = np.arange(len(net))
    first, second = net[rows, top2[:, 0]], net[rows, top2[:, 1]]
    choice = np.where(first >= second, top2[:, 0], top2[:, 1])
    best, runner_up = np.maximum(first, second), np.minimum(first, second)
    increment = np.minimum(best - runner_up, span) + epsilon
    return choice, price[choice] + increment
