import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0003_meetings"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingTime',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('offers_in_person', models.BooleanField(default=True)),
                ('offers_video', models.BooleanField(default=True)),
                ('offers_phone', models.BooleanField(default=True)),
                ('availability', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='times', to='meetings.caseworkeravailability')),
                ('location', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to='meetings.meetinglocation')),
                ('occurrence', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='meeting_time', to='bookings.occurrence')),
            ],
        ),
        migrations.CreateModel(
            name='VideoRoom',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provider', models.CharField(max_length=20)),
                ('room_id', models.CharField(max_length=64, unique=True)),
                ('join_token_hash', models.CharField(max_length=64, unique=True)),
                ('valid_from', models.DateTimeField()),
                ('valid_until', models.DateTimeField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('booking', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='video_room', to='bookings.booking')),
            ],
        ),
    ]
