"""money (issue #16): price bands and fees on services, professionals' prices, the booking's
fixed fees, gateway payments, refunds, webhook events, the double-entry journal, strikes,
GST invoices with their per-year counters, payout batches

Revision ID: 20261202d001
Revises: 20261202c001
Create Date: 2026-12-02 15:00:00

Columns are plain ADD COLUMNs with server defaults (SQLite keeps its triggers on
service_requests: that table is never rebuilt). `payments` is rebuilt (batch) because its
method and status CHECK constraints gain values (netbanking, online; created) and it gains a
partial unique index: one open gateway order per booking. Existing payments become "manual".
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hsa.models.common import UTCDateTime

revision: str = '20261202d001'
down_revision: str | None = '20261202c001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ORDER = "status = 'created'"
METHODS = ('cash', 'upi', 'card', 'netbanking', 'online')
STATUSES = ('created', 'paid', 'failed', 'refunded')
OLD_METHODS = ('cash', 'upi', 'card')
OLD_STATUSES = ('pending', 'paid', 'failed', 'refunded')


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, native_enum=False, create_constraint=True, length=32, name=name)


def _payments_table(name: str, *, v2: bool = True) -> sa.Table:
    """The payments table after this revision (v2) or before it; SQLite rebuilds it under `name`."""
    metadata = sa.MetaData()
    sa.Table('service_requests', metadata, sa.Column('id', sa.Integer(), primary_key=True))  # the FK's target
    columns = [
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('service_requests.id'), nullable=False),
        sa.Column('amount_paise', sa.Integer(), nullable=False),
        sa.Column('method', _enum('ck_paymentmethod', METHODS if v2 else OLD_METHODS), nullable=False),
        sa.Column('status', _enum('ck_paymentstatus', STATUSES if v2 else OLD_STATUSES), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
    ]
    if not v2:
        return sa.Table(name, metadata, *columns, sa.CheckConstraint('amount_paise >= 0', name='ck_payment_amount'))
    return sa.Table(
        name, metadata, *columns,
        sa.Column('provider', sa.String(16), server_default='manual', nullable=False),
        sa.Column('order_id', sa.String(40), nullable=True),
        sa.Column('gateway_payment_id', sa.String(40), nullable=True),
        sa.Column('refunded_paise', sa.Integer(), server_default='0', nullable=False),
        sa.Column('error', sa.String(300), server_default='', nullable=False),
        sa.Column('paid_at', UTCDateTime(), nullable=True),
        sa.CheckConstraint('amount_paise >= 0 AND refunded_paise >= 0 AND refunded_paise <= amount_paise',
                           name='ck_payment_amount'),
        sa.UniqueConstraint('order_id', name='uq_payments_order_id'),
        sa.UniqueConstraint('gateway_payment_id', name='uq_payments_gateway_payment_id'),
    )


PAYMENT_INDEXES = (('ix_payments_request_id', ['request_id']), ('ix_payments_created_at', ['created_at']),
                   ('ix_payments_created_status_amount', ['created_at', 'status', 'amount_paise']))
OLD_COLUMNS = "id, request_id, amount_paise, method, status, created_at"


def _rebuild_payments_sqlite(*, v2: bool = True) -> None:
    """SQLite cannot change a CHECK in place: copy into the new shape and rename (no triggers here)."""
    _payments_table('payments_new', v2=v2).create(op.get_bind())
    op.execute(f"INSERT INTO payments_new ({OLD_COLUMNS}) SELECT {OLD_COLUMNS} FROM payments")
    op.drop_table('payments')
    op.rename_table('payments_new', 'payments')
    for name, columns in PAYMENT_INDEXES:
        op.create_index(name, 'payments', columns)


def _alter_payments_postgresql() -> None:
    for column in _payments_table('payments').columns:
        if column.name not in OLD_COLUMNS.split(", "):
            op.add_column('payments', column.copy())
    op.create_unique_constraint('uq_payments_order_id', 'payments', ['order_id'])
    op.create_unique_constraint('uq_payments_gateway_payment_id', 'payments', ['gateway_payment_id'])
    for name, rule in (('ck_paymentmethod', f"method IN {METHODS}"), ('ck_paymentstatus', f"status IN {STATUSES}"),
                       ('ck_payment_amount', 'amount_paise >= 0 AND refunded_paise >= 0 AND '
                                             'refunded_paise <= amount_paise')):
        op.drop_constraint(name, 'payments', type_='check')
        op.create_check_constraint(name, 'payments', rule)


def upgrade() -> None:
    for column, default in (('min_price_pct', '80'), ('max_price_pct', '150'), ('commission_bps', '2000'),
                            ('cancel_fee_paise', '9900'), ('free_cancel_hours', '3')):
        op.add_column('services', sa.Column(column, sa.Integer(), server_default=default, nullable=False))
    with op.batch_alter_table('services') as batch:
        batch.create_check_constraint('ck_service_price_band', 'min_price_pct > 0 AND min_price_pct <= 100 AND '
                                      'max_price_pct >= 100 AND max_price_pct <= 500')
        batch.create_check_constraint('ck_service_money', 'commission_bps >= 0 AND commission_bps <= 5000 AND '
                                      'cancel_fee_paise >= 0 AND free_cancel_hours >= 0')
    op.add_column('professional_profiles', sa.Column('price_paise', sa.Integer(), nullable=True))
    for column, default in (('platform_fee_paise', '0'), ('gst_bps', '1800'), ('commission_bps', '2000'),
                            ('cancel_fee_paise', '0')):
        op.add_column('service_requests', sa.Column(column, sa.Integer(), server_default=default, nullable=False))
    if op.get_bind().dialect.name == 'postgresql':  # SQLite cannot add a CHECK without a rebuild (triggers)
        op.create_check_constraint('ck_request_fees', 'service_requests',
                                   'platform_fee_paise >= 0 AND cancel_fee_paise >= 0')

    op.execute("UPDATE payments SET status = 'failed' WHERE status = 'pending'")  # never written by the app
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_payments_sqlite()
    else:
        _alter_payments_postgresql()
    op.create_index('ux_payments_one_open_order', 'payments', ['request_id'], unique=True,
                    sqlite_where=sa.text(OPEN_ORDER), postgresql_where=sa.text(OPEN_ORDER))

    op.create_table(
        'refunds',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('payment_id', sa.Integer(), sa.ForeignKey('payments.id'), nullable=False),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('service_requests.id'), nullable=False),
        sa.Column('amount_paise', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(300), nullable=False),
        sa.Column('status', _enum('ck_refundstatus', ('pending', 'processed', 'failed')), nullable=False),
        sa.Column('gateway_refund_id', sa.String(40), nullable=True, unique=True),
        sa.Column('idempotency_key', sa.String(64), nullable=False, unique=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('processed_at', UTCDateTime(), nullable=True),
        sa.CheckConstraint('amount_paise > 0', name='ck_refund_amount'),
    )
    op.create_index('ix_refunds_payment_id', 'refunds', ['payment_id'])
    op.create_index('ix_refunds_request_id', 'refunds', ['request_id'])
    op.create_table(
        'webhook_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('event_id', sa.String(64), nullable=False, unique=True),
        sa.Column('event', sa.String(64), nullable=False),
        sa.Column('received_at', UTCDateTime(), nullable=False),
    )
    accounts = ('customer_receivable', 'gateway_clearing', 'platform_commission', 'gst_payable',
                'professional_payable', 'payouts', 'refunds')
    op.create_table(
        'ledger_entries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('txn', sa.String(40), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('account', _enum('ck_account', accounts), nullable=False),
        sa.Column('amount_paise', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('service_requests.id'), nullable=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint('amount_paise <> 0', name='ck_ledger_amount'),
    )
    op.create_index('ix_ledger_entries_txn', 'ledger_entries', ['txn'])
    op.create_index('ix_ledger_entries_request_id', 'ledger_entries', ['request_id'])
    op.create_index('ix_ledger_entries_created_at', 'ledger_entries', ['created_at'])
    op.create_index('ix_ledger_entries_account_user', 'ledger_entries', ['account', 'user_id'])
    op.create_table(
        'strikes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('professional_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('service_requests.id'), nullable=False),
        sa.Column('reason', sa.String(300), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
    )
    op.create_index('ix_strikes_professional_id', 'strikes', ['professional_id'])
    op.create_table(
        'invoices',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('number', sa.String(32), nullable=False, unique=True),
        sa.Column('fy', sa.String(7), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('service_requests.id'), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('taxable_paise', sa.Integer(), nullable=False),
        sa.Column('gst_paise', sa.Integer(), nullable=False),
        sa.Column('total_paise', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('emailed_at', UTCDateTime(), nullable=True),
        sa.UniqueConstraint('fy', 'seq', name='uq_invoices_fy_seq'),
    )
    op.create_index('ix_invoices_request_id', 'invoices', ['request_id'])
    op.create_table(
        'invoice_counters',
        sa.Column('fy', sa.String(7), primary_key=True),
        sa.Column('last', sa.Integer(), nullable=False),
    )
    op.create_table(
        'payout_batches',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('period_end', UTCDateTime(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('total_paise', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
    )
    op.create_table(
        'payouts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('batch_id', sa.Integer(), sa.ForeignKey('payout_batches.id'), nullable=False),
        sa.Column('professional_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('amount_paise', sa.Integer(), nullable=False),
        sa.Column('txn', sa.String(40), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.UniqueConstraint('batch_id', 'professional_id', name='uq_payouts_batch_professional'),
        sa.CheckConstraint('amount_paise > 0', name='ck_payout_amount'),
    )
    op.create_index('ix_payouts_batch_id', 'payouts', ['batch_id'])
    op.create_index('ix_payouts_professional_id', 'payouts', ['professional_id'])


def downgrade() -> None:
    for table in ('payouts', 'payout_batches', 'invoice_counters', 'invoices'):
        op.drop_table(table)
    op.drop_table('strikes')
    op.drop_table('ledger_entries')
    op.drop_table('webhook_events')
    op.drop_table('refunds')
    op.drop_index('ux_payments_one_open_order', table_name='payments')
    op.execute("DELETE FROM payments WHERE status = 'created' OR method IN ('netbanking', 'online')")
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_payments_sqlite(v2=False)
    else:
        for name, rule in (('ck_payment_amount', 'amount_paise >= 0'), ('ck_paymentmethod', f"method IN {OLD_METHODS}"),
                           ('ck_paymentstatus', f"status IN {OLD_STATUSES}")):
            op.drop_constraint(name, 'payments', type_='check')
            op.create_check_constraint(name, 'payments', rule)
        for column in ('paid_at', 'error', 'refunded_paise', 'gateway_payment_id', 'order_id', 'provider'):
            op.drop_column('payments', column)
    for column in ('cancel_fee_paise', 'commission_bps', 'gst_bps', 'platform_fee_paise'):
        op.drop_column('service_requests', column)
    op.drop_column('professional_profiles', 'price_paise')
    with op.batch_alter_table('services') as batch:
        batch.drop_constraint('ck_service_money', type_='check')
        batch.drop_constraint('ck_service_price_band', type_='check')
    for column in ('free_cancel_hours', 'cancel_fee_paise', 'commission_bps', 'max_price_pct', 'min_price_pct'):
        op.drop_column('services', column)
