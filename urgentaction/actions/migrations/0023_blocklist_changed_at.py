import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0022_review_closed_by_outcome'),
    ]

    operations = [
        migrations.AddField(
            model_name='blockeddomain',
            name='changed_at',
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name='changed'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='blockedword',
            name='changed_at',
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name='changed'),
            preserve_default=False,
        ),
    ]
