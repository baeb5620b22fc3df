"""Money (issue #16): prices and fees (`pricing`), the double-entry journal (`journal`, `postings`),
the payment gateway (`gateway`), checkout, capture, webhooks, refunds and reconciliation."""
