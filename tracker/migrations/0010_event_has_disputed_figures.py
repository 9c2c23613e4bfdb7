from django.db import migrations, models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, IsNull

# The dispute rule as tracker/models/figures.py wrote it when this migration
# was written (FigureClaimQuerySet.current and .contradicted), to set the flag
# of every existing event; a test holds the two to the same SQL.
ABOUT_TOLERANCE_DIVISOR = 10


class LocalDate(Func):
    arity = 2
    output_field = models.DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((%(expressions)s)::date)", arg_joiner=" AT TIME ZONE "
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="django_datetime_cast_date(%(expressions)s, 'UTC')",
        )


def _same_or_both_empty(name):
    return Q(**{name: OuterRef(name)}) | (
        Q(**{f"{name}__isnull": True}) & Q(IsNull(OuterRef(name), True))
    )


def _same_or_either_empty(name, empty):
    if empty is None:
        return (
            Q(**{name: OuterRef(name)})
            | Q(**{f"{name}__isnull": True})
            | Q(IsNull(OuterRef(name), True))
        )
    return Q(**{name: OuterRef(name)}) | Q(**{name: empty}) | Q(Exact(OuterRef(name), Value(empty)))


def _wide(field):
    """A figure's column in 64 bits: near the column's limit, a figure give or
    take its tolerance must not overflow PostgreSQL's 32-bit integers."""
    return Func(field, template="CAST(%(expressions)s AS bigint)", output_field=models.IntegerField())


def with_bounds(claims):
    value = Coalesce(_wide("best"), _wide("low"), _wide("high"))
    return claims.annotate(
        lower_bound=Case(
            When(qualifier="more_than", then=Coalesce(_wide("low"), value) + _wide(Value(1))),
            When(qualifier="up_to", then=Coalesce(_wide("low"), Value(0))),
            When(
                qualifier="about",
                then=Coalesce(_wide("low"), value - value / _wide(Value(ABOUT_TOLERANCE_DIVISOR))),
            ),
            default=Coalesce(_wide("low"), value),
        ),
        upper_bound=Case(
            When(qualifier__in=["at_least", "more_than"], then=_wide("high")),
            When(
                qualifier="about",
                then=Coalesce(_wide("high"), value + value / _wide(Value(ABOUT_TOLERANCE_DIVISOR))),
            ),
            default=Coalesce(_wide("high"), value),
        ),
    )


def with_stated_on(claims):
    return claims.annotate(stated_on=LocalDate("as_of", "event__conflict__timezone"))


def current(claims, model):
    newer = (
        with_stated_on(model.objects.all())
        .filter(
            claimant=OuterRef("claimant"),
            event=OuterRef("event"),
            metric=OuterRef("metric"),
            population=OuterRef("population"),
            scope=OuterRef("scope"),
        )
        .filter(_same_or_both_empty("party"), _same_or_both_empty("period_start"))
        .filter(Q(scope="incident") | Q(stated_on=OuterRef("stated_on")))
        .filter(
            Q(as_of__gt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__gt=OuterRef("pk"))
        )
    )
    return with_stated_on(claims).filter(~Exists(newer))


def contradicted(model):
    """The claims that a compared claim contradicts, of the FigureClaim
    model given."""
    contradicting = (
        with_bounds(current(model.objects.all(), model))
        .filter(event=OuterRef("event"), metric=OuterRef("metric"), scope=OuterRef("scope"))
        .exclude(claimant=OuterRef("claimant"))
        .exclude(claimant__is_newsroom=True)
        .filter(
            _same_or_either_empty("population", "unspecified"),
            _same_or_either_empty("party", None),
        )
        .filter(
            Q(scope="incident")
            | Q(period_start=OuterRef("period_start"), stated_on=OuterRef("stated_on"))
        )
        .filter(
            Q(upper_bound__lt=OuterRef("lower_bound"))
            | Q(lower_bound__gt=OuterRef("upper_bound"))
        )
    )
    return (
        with_bounds(current(model.objects.all(), model))
        .exclude(claimant__is_newsroom=True)
        .filter(Exists(contradicting))
    )


def flag_disputed_events(apps, schema_editor):
    Event = apps.get_model("tracker", "Event")
    FigureClaim = apps.get_model("tracker", "FigureClaim")
    using = schema_editor.connection.alias
    disputed = contradicted(FigureClaim).values("event_id")
    Event.objects.using(using).filter(pk__in=disputed).update(has_disputed_figures=True)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0009_typed_times_and_exact_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="has_disputed_figures",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("has_disputed_figures", True)),
                fields=["conflict", "status", "starts_at", "id"],
                name="event_disputed_idx",
            ),
        ),
        migrations.RunPython(flag_disputed_events, migrations.RunPython.noop, elidable=True),
    ]
