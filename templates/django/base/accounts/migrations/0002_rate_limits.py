from django.db import migrations, models


class Migration(migrations.Migration):
    """Login failures as one budget row per client instead of one row per failure, plus
    the per-address login and registration limits (accounts/throttling.py)."""

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.DeleteModel(
            name='LoginFailure',
        ),
        migrations.CreateModel(
            name='RateLimit',
            fields=[
                ('key', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('used', models.PositiveIntegerField()),
                ('resets_at', models.DateTimeField(db_index=True)),
            ],
            options={
                'db_table': 'rate_limits',
            },
        ),
    ]
