import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0010_translations'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReferenceCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('series', models.CharField(max_length=40, unique=True)),
                ('last', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='campaign',
            name='follow_up_number',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='follow-up number'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='follow_up_of',
            field=models.ForeignKey(blank=True, help_text="Publish this campaign as further information on an earlier case: it takes that case's reference, with the next follow-up number (FI 1, FI 2...), and everyone who wrote on the case is told once it is published. It cannot change once the campaign has been published.", limit_choices_to={'follow_up_of__isnull': True, 'reference_number__isnull': False}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='campaigns.campaign', verbose_name='follow-up of'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='reference_number',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='reference number'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='reference_prefix',
            field=models.CharField(blank=True, editable=False, max_length=20, verbose_name='reference prefix'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='reference_year',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='reference year'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.UniqueConstraint(condition=models.Q(('follow_up_of', None)), fields=('reference_year', 'reference_number'), name='one_case_per_reference'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.UniqueConstraint(fields=('follow_up_of', 'follow_up_number'), name='one_follow_up_per_number'),
        ),
    ]
