"""One instrument's order book and the price-time primitives every engine builds on.

Layout, chosen for CPython speed:

* each side is a dict ``price -> Level`` plus a sorted list of its prices (bids ascending,
  asks as negated prices ascending), so the best price of either side is ``list[-1]``;
* a :class:`Level` is a FIFO of orders (a deque) with its displayed quantity and count;
* cancels are lazy: a canceled order stays in its level's deque with ``leaves == 0`` and
  is skipped when matching reaches it (a level is compacted when dead entries pile up);
* an order that *moves* (loses priority on a replace, re-pegs) is cloned: the old object
  is left dead in its old place and the clone joins the back of its new level, so an
  order object is never in two queue positions at once.

The book emits events (tuples, see :mod:`exsim_core.events`) into its venue's batch. Its
methods are the vocabulary of engines and order types: :meth:`Book.work` (match then rest
or cancel), :meth:`Book.match`, :meth:`Book.rest`, :meth:`Book.park`,
:meth:`Book.cancel_order`, :meth:`Book.fill` (a synthetic fill), and the queries.
"""

from .book import Book
from .level import Level

__all__ = ["Book", "Level"]
