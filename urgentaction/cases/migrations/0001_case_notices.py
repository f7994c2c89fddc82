import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0012_number_published_campaigns'),
        ('mailings', '0009_translations'),
        ('supporters', '0009_translations'),
    ]

    operations = [
        migrations.CreateModel(
            name='FollowUpAnnouncement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(auto_now_add=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='everyone queued')),
                ('follow_up', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='announcement', to='campaigns.campaign', verbose_name='follow-up')),
            ],
            options={
                'verbose_name': 'case notice',
                'verbose_name_plural': 'case notices',
                'ordering': ['-started_at'],
            },
        ),
        migrations.CreateModel(
            name='CaseOptOut',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='asked')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='opt_outs', to='campaigns.campaign', verbose_name='case')),
                ('supporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='case_opt_outs', to='supporters.supporter')),
            ],
            options={
                'verbose_name': 'request to hear no more about a case',
                'verbose_name_plural': 'requests to hear no more about a case',
                'constraints': [models.UniqueConstraint(fields=('supporter', 'case'), name='one_opt_out_per_case')],
            },
        ),
        migrations.CreateModel(
            name='CaseNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('email', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='case_notice', to='mailings.outboundemail')),
                ('supporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='case_notices', to='supporters.supporter')),
                ('announcement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='cases.followupannouncement')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('announcement', 'supporter'), name='one_notice_per_person')],
            },
        ),
    ]
