"""PHI in the shapes hospital records take: headers with the surname first, record numbers in dashed groups, the
ages of relatives, practices named after a town and a specialty, a hospital named by one word after "at".

Every example is invented for the test: no letter of a development set is quoted."""

from __future__ import annotations

import pytest

from conftest import covered


@pytest.mark.parametrize(
    "text, name",
    [
        ("VARGAS,YVONNE   476-89-74-0", "VARGAS"),
        ("Patient Name: LEBLANC, UNA       Unit No: 812-44-09", "UNA"),
        ("Attending: YOUNG, ISAAC", "ISAAC"),
        ("Patient: Zelaya, Octavio   DOB: 3/9/31", "Octavio"),
        ("Patient: Delacroix, Marguerite A.      MRN: 0048-227-19", "Delacroix, Marguerite A."),
        ("PATIENT: HOLLOWAY, BEATRICE A.   DOB: 04/30/2049", "HOLLOWAY, BEATRICE A."),
    ],
)
def test_a_surname_comma_first_name_is_one_name(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text, name",
    [
        ("0700-1900: pt alert. dtr jen called, updated.", "jen"),
        ("RN: K. Oduya. MD aware.", "Oduya"),
    ],
)
def test_nursing_shorthand_cues(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text, word",
    [
        ("Allergies: PENICILLIN, CODEINE", "CODEINE"),
        ("Dr. Lee, May 5 follow-up was kept.", "May"),  # a month, not a first name: it is no field's end
    ],
)
def test_a_comma_alone_makes_no_name(detector, text, word):
    assert covered(detector, text, word) != "NAME"


@pytest.mark.parametrize(
    "text, needle",
    [
        ("VARGAS,YVONNE   476-89-74-0   VISIT DATE: 03/14/91", "476-89-74-0"),
        ("eScription document:6-2658497 BFFocus", "6-2658497"),
        ("MRN: 0034521  BH#: 334-22-1", "334-22-1"),
        ("Medical Record Number: UOJ 88-77-11", "UOJ 88-77-11"),
    ],
)
def test_record_numbers(detector, text, needle):
    assert covered(detector, text, needle) == "ID"


@pytest.mark.parametrize(
    "text",
    [
        "Series #102 images #10-22 show the fracture; coronal T2 image #1452.",
        "Pacemaker model # 12345 implanted.",
        "MRN is pending.",
    ],
)
def test_image_and_model_numbers_are_no_record_numbers(detector, text):
    assert "ID" not in {label for label in (covered(detector, text, w) for w in text.split()) if label}


@pytest.mark.parametrize(
    "text, needle",
    [
        ("Admitted 5/12-5/15/2079 for CHF.", "5/12-5/15/2079"),
        ("Holter from 11/29-12/1 showed PACs.", "11/29-12/1"),
        ("He was seen the week of 12/5.", "12/5"),
        ("68 YO F ADMITTED TO SBH 5/10-5/14 (3 WEST) FOR CHF.", "5/10-5/14"),  # one end a score's shape, not both
        ("I have a work trip on the 15th for the company.", "15th"),
    ],
)
def test_date_ranges_and_weeks(detector, text, needle):
    assert covered(detector, text, needle) == "DATE"


@pytest.mark.parametrize("text", ["A 2/6-3/6 murmur at the apex.", "Strength 4/5-5/5 in the legs.", "Pain 3/10-8/10."])
def test_grade_ranges_are_no_dates(detector, text):
    assert not [s for s in detector.detect_texts([text])[0] if s.label == "DATE"]


@pytest.mark.parametrize(
    "text, age",
    [
        ("Mother is alive at 91, lives in a nursing home.", "91"),
        ("Brother died of MI at 52, father with colon CA at 70.", "52"),
        ("Brother died of MI at 52, father with colon CA at 70.", "70"),
        ("Mr. Ulrich is a 67 man with HTN.", "67"),
        ("He is 72 and lives alone.", "72"),
        # An age at an event the clause names, without a listed event word
        ("Social: left school at 16, GED at 24.", "24"),
        ("First DUI at 23 ('68), none since.", "23"),
        ("Enlisted at 18 out of high school.", "18"),
        ("Father had dementia at 44, died at 53 at a memory care unit.", "53"),
        ("First psychiatric admission at 24 (2071).", "24"),
        ("Self-harm: cutting since 14.", "14"),
        ("heroin by 22, IV by 24.", "24"),
        ("Parents divorced when she was 11.", "11"),
        ("Smoked a pack a day from age 18 to 54.", "54"),
        ("Age: 15 y 4 mo", "4"),
        ("Two children: Kaylee (17) and Jordan (13).", "13"),
        ("SISTER TAMIKA 30 IN LONG BEACH", "30"),
        ("FH: mother 66 breast ca dx at 48 (BRCA neg).", "66"),
        ("father 70 CAD, CABG at 61.", "70"),
        ("Knee pain after soccer w/ his son (Mateo, 15) at the park.", "15"),  # the NER's place, the names' person
        ("Married to Keiko, 44, architect.", "44"),
        ("Household: client, son Jaylen (7), daughter Amira (14 mo).", "14"),
        ("Little sister Daniela 6 at Roosevelt Elementary.", "6"),
        ("First diagnosed at 39 during her third pregnancy.", "39"),
        ("Maternal uncle died suddenly at 31 - mother unaware.", "31"),
        ("HCP: husband Arnold Ostergaard (95!) resides in assisted living.", "95"),
        ("tollefson, arne | 62 | retired crusher operator", "62"),
        ("I saw Margarethe Vos, now 72, with her husband.", "72"),
        ("Well Child Visit - 18 month\nHarbor Family Medicine", "18"),
        ("PEDS WCC 18 MO\nPt Name: Nguyen, Bao", "18"),
    ],
)
def test_ages_without_a_unit(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, number",
    [
        ("Father with HTN and BP at 150.", "150"),
        ("His father had a stroke at 2 am.", "2"),
        ("He is 5 weeks post-op.", "5"),
        ("He is 100% compliant with meds.", "100"),
        # Readings, gestations and durations in clauses that also name an event
        ("Prograf levels came back high at 18.", "18"),
        ("She is married since 44 years.", "44"),
        ("Mother presented in labour at 39 and 1/7 weeks.", "39"),
        ("Father with HTN, dose titrated at 20.", "20"),
        ("He was first seen at 10 for 20 minutes.", "10"),
        ("Diagnosed with cancer, now at 20 months post therapy.", "20"),
        ("Mother says the spells last from 10 to 15 seconds.", "10"),
        ("when she was about 3 months pregnant with him", "3"),
        ("Her brother 80 percent compliant with CPAP.", "80"),
        ("Father 40 mg lisinopril daily.", "40"),
        ("Moved from Boston, 45 minutes away.", "45"),
        ("F/u Dr. Kim (2 wks) for labs.", "2"),
        ("Son Tom 3 times a week brings groceries.", "3"),
        ("Daughter Jane 3/5 strength on the left.", "3"),
        ("Mother 25 pack years, quit.", "25"),
    ],
)
def test_readings_and_times_are_no_ages(detector, text, number):
    assert covered(detector, text, number) is None


@pytest.mark.parametrize(
    "text, place",
    [
        ("Seen in follow-up at the Hartsfield Cardiology office.", "Hartsfield Cardiology"),
        ("Seen in the Winchester ED on the 3rd.", "Winchester ED"),
        ("Primary Care: Tahoe Family Medicine.", "Tahoe Family Medicine"),
        ("History of AAA repair at Lahey in 2088.", "Lahey"),
        ("PT TRANSFERRED FROM BAYSTATE ER VIA AMBULANCE.", "BAYSTATE ER"),
        ("Rx sent to the pharmacy on Route 9 in town.", "Route 9"),
        ("Follow up in 2 weeks at the Lyndon clinic.", "Lyndon clinic"),
    ],
)
def test_institutions_named_by_a_word_before_a_specialty_or_after_at(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


def test_a_direction_word_joins_the_place_after_it(detector):
    assert covered(detector, "Receives care through the VA in West Roxbury.", "West Roxbury") is not None


@pytest.mark.parametrize(
    "text, words",
    [
        ("Per Interventional Radiology, no drain.", "Interventional Radiology"),
        ("Nuclear Medicine scan was normal.", "Nuclear Medicine"),
        ("Seen by Pediatric Cardiology.", "Pediatric Cardiology"),
        ("Switched from Coumadin to Lovenox bridge.", "Coumadin"),
        ("Transferred to Medicine for further care.", "Medicine"),
        ("Tenderness at McBurney's point.", "McBurney"),
        ("Chem-20 was normal as well.,IMPRESSION: stable.", "20 was normal as well"),
        ("PT SENT TO THE PEDS ER AFTER TRIAGE.", "PEDS ER"),
        ("Seen in the CHF clinic and the Coumadin clinic.", "CHF clinic"),
        ("Seen in the CHF clinic and the Coumadin clinic.", "Coumadin clinic"),
        ("Given the route 2 options were discussed; Rt 5 fingers numb; I-131 therapy.", "5"),
        ("Pain on the West side of the abdomen.", "West"),
        # Readings that look like the new date, ward, theatre, road and postcode shapes
        ("Visual acuity OD: 20/10 OS: 20/10.", "20/10"),
        ("RV 26/5, PA 33/19, wedge 12.", "26/5"),
        ("Available 24/7 by phone.", "24/7"),
        ("Late decelerations were seen; mid septal lead.", "Late dec"),
        ("Scope: GIF-Q180 passed easily.", "Q180"),
        ("TAKE 1 OR 2 TABS. FLUIDS OR 2 L.", "OR 2"),
        ("Transferred to the Medical Ward; ward round at 9.", "ward round"),
        ("IL-6 and I-131 uptake were measured.", "I-131"),
        ("Seen at 7 PM with C5 6TH level pain.", "7 PM"),
        ("O2 Sat 95% on room air.", "Sat"),
        ("Walked 64m with a walker.", "64m"),
        ("Dialysis access (1983-1988); wire access site closed with a 4-0 Monocryl.", "4-0"),
        ("CPT code 99213 billed.", "99213"),
        ("[doctor] hello . [patient_guest] hi .", "patient_guest"),
        ("Foley 14F placed; walked 20m  today.", "20m"),
        ("Hct 30F on repeat.", "30F"),
        ("ORIF with an LCP plate 3.5 mm.", "3.5"),
        ("Seen on the 2nd floor; fracture of the 5th rib.", "2nd"),
    ],
)
def test_specialties_drugs_and_eponyms_are_no_institutions(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, needle, label",
    [
        ("HPI: 23F presents after a fall.", "23F", "AGE"),
        ("Daughter reports father (82) has been more confused.", "82", "AGE"),
        ("She is now 74. She feels well.", "74", "AGE"),
        ("Quick heads up on Mrs. Olmstead (63F, ILD on nintedanib).", "63F", "AGE"),
        ("ACC#: RAD-2093-118845 | DATE OF EXAM", "RAD-2093-118845", "ID"),
        ("STUDY UID 1.2.840.99.4471.2093) CONFIRMS", "1.2.840.99.4471.2093", "ID"),
        ("PETROVIC, DRAGAN        774-20-11\nAdmission: 9/22/2095", "774-20-11", "ID"),
        ("MRN: HPC 551 902      Age: 58", "HPC 551 902", "ID"),
        ("CLIA# 38D0654411 | Patient", "38D0654411", "ID"),
        ("Medical ICU   Bed 12 | Date", "12", "LOCATION"),
        ("Floor: Sherwood 6, room 6-14 |", "6-14", "LOCATION"),
        ("No firearms at pt's apartment on Division Street. Pt", "Division Street", "LOCATION"),
        ("FELL FROM A LADDER AT A JOB SITE ON PEARL STREET AROUND 11:45.", "PEARL STREET", "LOCATION"),
        ("ANTICIPATE DISCHARGE 8/4 OR 8/5. FOLLOW-UP IN 2 WEEKS.", "8/5", "DATE"),
        ("Increasing DOE since about 3/1, now needs 4L.", "3/1", "DATE"),
        ("Scheduled Thurs 4/4 with GI.", "4/4", "DATE"),
        ("Date of service: Sat 10/31/2082 22:47", "Sat", "DATE"),
        ("SHE HAD DIFFICULTY ON THE MORNING OF THE 26TH, AFTER HOSTING HANUKKAH DINNER.", "26TH", "DATE"),
        # Ranges, parts of months, quarters, holidays and weekdays before a date
        ("FMLA forms completed for 03/01/2090-08/31/2090.", "08/31/2090", "DATE"),
        ("Dose-dense AC-T 4/85-8/85, then RT.", "8/85", "DATE"),
        ("Family week planned for Dec 1-3; mother coming.", "Dec 1-3", "DATE"),
        ("Osimertinib started mid-May; repeat scan late Aug.", "mid-May", "DATE"),
        ("EF 30% in Q3 2090; flare FY88.", "Q3 2090", "DATE"),
        ("Cough since Xmas 2088; jaundice on Good Friday.", "Good Friday", "DATE"),
        ("FIRST TREATMENT WEDNESDAY 3/5.", "3/5", "DATE"),
        ("discharge letter to gp - thu 23 jul 2091", "thu", "DATE"),
        # A day before its month, as British and Commonwealth letters write dates
        ("MOVED FROM WARD 32 TO NIGHTINGALE ON 13/07.", "13/07", "DATE"),
        ("Presented Sat 18/07 23:50 with chest pain.", "18/07", "DATE"),
        # Wards, theatres and rooms with their word; ambulances and roads by number
        ("MOVED FROM WARD 32 TO NIGHTINGALE ON 13/07.", "WARD 32", "LOCATION"),
        ("Admitted to Nightingale Ward under Dr Patel.", "Nightingale Ward", "LOCATION"),
        ("Bruce Ward is a pleasant 60-year-old man.", "Bruce Ward", "NAME"),
        ("St. Brendan's Hospital   OR 4   March 3rd, 2091", "OR 4", "LOCATION"),
        ("Post-op: Neuro ICU bed 5, q1h neuro checks.", "bed 5", "LOCATION"),
        ("Met with pt and wife in infusion chair 14. Pt is a retired steelworker.", "14", "LOCATION"),
        ("THEN BACK TO OUTPATIENT CHAIR 22 2ND SHIFT.", "22", "LOCATION"),
        ("SIGN-OUT\n5N-02 CHAUDHRY 64M FULL. NSTEMI.\nE1   GUTIERREZ        55M  vent", "5N-02", "LOCATION"),
        ("SIGN-OUT\n5N-02 CHAUDHRY 64M FULL. NSTEMI.\nE1   GUTIERREZ        55M  vent", "E1", "LOCATION"),
        ("I: stable\nH4-07 Kowalczyk, Teodor  77M  DNR/ok to intubate", "H4-07", "LOCATION"),
        ("Extrication by Engine 6, transport by Medic 31.", "Medic 31", "ID"),
        ("Rollover on US-52 northbound near mile marker 147.", "mile marker 147", "LOCATION"),
        ("Rollover on US-52 northbound near mile marker 147.", "US-52", "LOCATION"),
        # National health and registration numbers, postcodes of the UK, Canada, Australia and Ireland
        ("MRN: 6612048   Medicare: 2953 17402 1-1", "2953 17402 1-1", "ID"),
        ("RE: Douglas FRASER  PHN 9074 318 226  DOB 17/Mar/2016", "9074 318 226", "ID"),
        ("NHI: ZKP4417   DOB 09/03/2039", "ZKP4417", "ID"),
        ("Hosp No: BCH/447129", "BCH/447129", "ID"),
        ("Beckett Street, Leeds LS9 7TF\nTel: 0113 206 4471", "Leeds LS9 7TF", "LOCATION"),
        ("1276 SOUTH PARK STREET, HALIFAX, NS B3H 2Y9", "HALIFAX, NS B3H 2Y9", "LOCATION"),
        ("8/42 Dunmore Street, Wentworthville NSW 2145", "Wentworthville NSW 2145", "LOCATION"),
        ("Main Street, Ballincollig\nCo. Cork P31 H2W6", "Cork P31 H2W6", "LOCATION"),
        # Weekdays' abbreviations after a cue or closing a phrase; a day of the month with its article
        ("Repeat BMP Fri. Recheck orthostatics Thurs.", "Fri", "DATE"),
        ("appt made for mon 9am w/ dr h", "mon", "DATE"),
        ("dtr says mom not herself since sat - sleepy", "sat", "DATE"),
        ("Can she switch her appt to the 17th bc my brother can't drive?", "the 17th", "DATE"),
        ("rca ffr done 10/6 = 0.86", "10/6", "DATE"),
        # Spelled ages after a cue, a lowercase age and sex opening a line, a child's age in one digit
        ("PATIENT: OLAF T. HAUGEN     AGE: NINETY-SIX", "NINETY-SIX", "AGE"),
        ("Resident: Clement Varga  |  age one hundred and two  |  Res #", "one hundred and two", "AGE"),
        ("pt: ulloa, joaquim\n64m w/ CAD s/p CABG", "64", "AGE"),
        ("he's 9 now so he does it himself", "9", "AGE"),
        # Numbers that portal messages, telehealth logs and home visits carry
        ("the Walgreens on Delancey Ave (store #07731) says", "07731", "ID"),
        ("Teams mtg id 255 118 903 442", "255 118 903 442", "ID"),  # "id" in lowercase: spaCy splits it
        ("FedEx tracking 7739 2210 4581.", "7739 2210 4581", "ID"),
        ("connected from columbus oh, ip 2600:1702:4a90:7c10::2f", "2600:1702:4a90:7c10::2f", "CONTACT"),
        ("call me back at eight oh two five five five oh one nine one, thats", "eight oh two five five five oh one nine one", "CONTACT"),
        ("the house # 608/555/0112 is my wife's fax", "608/555/0112", "CONTACT"),
        ("Lockbox on back door, code 4471. Gate code *2468, then left.", "*2468", "ID"),
        ("Hospice #: 0031-88217", "0031-88217", "ID"),
        ("Proxy account: husband Karthik (ksubram_proxy)", "ksubram_proxy", "NAME"),
        # Sign-out lists: an age and sex in a table's cell, after a surname, in lowercase before a code status
        ("Pratt 2-01 | MCALLISTER, ROWAN | 26M | FULL | 45% TBSA", "26", "AGE"),
        ("5N-02 CHAUDHRY 64M FULL. NSTEMI, heparin.", "64", "AGE"),
        ("chair 2  ng  80f  - dnr on file.", "80", "AGE"),
        ("bed 4 o'shaughnessy 61m full  s/p lvad", "61", "AGE"),
        # Transcription footers, licence plates and police reports
        ("M.D. GL07  GL07/ruk\nBatch: 88213 Index No. K4XP2L9WQ D: 05/01/96", "K4XP2L9WQ", "ID"),
        ("M.D. GL07  GL07/ruk\nBatch: 88213 Index No. K4XP2L9WQ D: 05/01/96", "GL07/ruk", "NAME"),
        ("ENTERED BY: YOON, DANIEL J., M.D. (DY42) 11/07/01 10:41 AM", "DY42", "NAME"),
        ("Rear-ended by a Ford F-250 (plate TXK 8812).", "TXK 8812", "ID"),
        ("Bellevue PD collision report 2025-88413.", "2025-88413", "ID"),
        ("SHE HAD DIFFICULTY ON THE MORNING OF THE 26TH, AFTER HOSTING HANUKKAH DINNER.", "HANUKKAH", "DATE"),
        ("Clinic: Fjordside Neurology Associates, Duluth MN\n", "Duluth MN", "LOCATION"),
    ],
)
def test_ids_rooms_streets_ages_and_date_cues_of_records(detector, text, needle, label):
    assert covered(detector, text, needle) == label


@pytest.mark.parametrize(
    "text, needle",
    [
        ("COVID-19 and ICD-10-CM codes; C5-C6 disc; CD4-200; HER2-neu.", "CD4-200"),
        ("Weaned to room air 2 L then off.", "2"),
        ("Kept in bed 3 days.", "3"),
        ("OOB to chair 3 times today, in the chair x 2 hrs.", "3"),
        ("30-second chair stands 8, sat in chair 2 hours.", "2"),
        ("C5 The patient was 45 M at the time.", "C5"),
        ("ST CHANGES NOTED ON LATERAL ST SEGMENTS.", "LATERAL ST"),
        ("LEFT ARM STRENGTH IMPROVED FROM 3/5 TO 4/5 BY DISCHARGE.", "3/5"),
        ("Strength 4/5 and 5/5 in the legs.", "5/5"),
        ("Smith, John MD\n", "John MD"),
        ("She is in the 5th grade; pain of the 1st and 2nd metatarsals.", "1st"),
    ],
)
def test_clinical_codes_readings_and_grades_stay(detector, text, needle):
    assert covered(detector, text, needle) is None


@pytest.mark.parametrize(
    "text, job",
    [
        ("Ms. R is a 38-year-old premenopausal software engineer at a lab.", "software engineer"),
        ("THE PATIENT IS A 61-YEAR-OLD MAN, A LOBSTERMAN FROM THE COAST.", "LOBSTERMAN"),
        ("He is an 86 year old gentleman, retired high school chemistry teacher, with COPD.", "high school chemistry teacher"),
        ("A 63-YEAR-OLD MAN, A POSTAL CARRIER WITH 20 YEARS OF SERVICE.", "POSTAL CARRIER"),
    ],
)
def test_occupations_in_the_opening_line(detector, text, job):
    assert covered(detector, text, job) == "OTHER"


@pytest.mark.parametrize(
    "text",
    ["He is a pleasant 45-year-old man with diabetes.", "He is a carrier of hepatitis B.", "A 72-year-old female with CHF."],
)
def test_no_occupation_in_a_plain_opening_line(detector, text):
    assert "OTHER" not in {s.label for s in detector.detect_texts([text])[0]}


@pytest.mark.parametrize(
    "text, organisation",
    [
        ("Pt is a deacon at Salvisa Baptist Church.", "Salvisa Baptist Church"),
        ("Software engineer at Quillfeather Labs since 2080.", "Quillfeather Labs"),
        ("Works as a bus driver for Harbor Transit Co. in town.", "Harbor Transit Co."),
        ("Will seek a bed at Lakeshore Behavioral Health.", "Lakeshore Behavioral Health"),
        ("Fenwick Internal Medicine\n1450 Commonwealth Drive", "Fenwick Internal Medicine"),
        ("She presented to the MBMC ED on 7/5.", "MBMC"),
        ("Colonoscopy last done by Dr. B at MetroWest - normal.", "MetroWest"),
        ("Sleep study at Quarrington Sleep Disorders Center last spring.", "Quarrington Sleep Disorders Center"),
        ("Worked 20 years for Vantrell Precision Parts before retiring.", "Vantrell Precision Parts"),
        ("She attends the Lutheran Church of Ashtabula every Sunday.", "Church of Ashtabula"),
        ("Plans to go to a meeting at St. Bridget's Church hall.", "St. Bridget's Church"),
        ("LOST HER JOB AT GLIMMERTOOTH DENTAL GROUP IN MAY.", "GLIMMERTOOTH DENTAL GROUP"),
        ("Uses the St. Ormund's Food Pantry on Thursdays.", "St. Ormund's Food Pantry"),
        ("Retired trucker (drove for Consolidated Freightways 30 yrs).", "Consolidated Freightways"),
        ("Works part-time at Brindlewood Diner on weekends.", "Brindlewood Diner"),
    ],
)
def test_organisations_and_practices(detector, text, organisation):
    assert covered(detector, text, organisation) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("Referred to Social Services and the Sleep Lab.", "Social Services"),
        ("Referred to Social Services and the Sleep Lab.", "Sleep Lab"),
        ("Cardiac Rehab Services were consulted.", "Cardiac Rehab"),
        ("Nuclear Medicine Services. Pharmacy Services.", "Pharmacy"),
        ("Referred to Behavioral Health and Mental Health.", "Mental Health"),
        ("Seen by Home Health today.", "Home"),
        ("Pt asking if he can go home for christmas tomorrow.", "home"),
        ("SOCIAL WORK SERVICES CONSULTED. HOME CARE SERVICES ARRANGED.", "SERVICES"),
        ("Referred to the Cardiac Rehab Program and the Care Coordination Group.", "Group"),
        ("Seen in the Sleep Disorders Center. Discharged Home.", "Center"),
        ("Discharged Home with services.", "Home"),
        ("Two Army-Navy retractors were put in place.", "Army-Navy"),
        ("Referred to the Crisis Outreach team and Union Hospital.", "Crisis Outreach"),
    ],
)
def test_services_are_no_organisations(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("DD: 03/21/91  DT: 03/22/91\nMTH/jrc\nJOB #: 558120", "MTH"),
        ("DD: 03/21/91  DT: 03/22/91\nMTH/jrc\nJOB #: 558120", "jrc"),
        ("call bell in reach.\n-- tmahoney2\n11/2 1500", "tmahoney2"),
        ("Patrice Kimura, RN   pkimura\n10/7 visit", "pkimura"),
    ],
)
def test_who_dictated_or_typed(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text, word",
    [
        ("No CP/sob today.\nPlan: home.", "CP"),
        ("Moderate MR. Seen by EP today.", "Seen"),
        ("LIVES WITH WIFE BERNICE AND GRANDSON. SMOKES 1 PPD.", "SMOKES"),
        ("Labs: anti-Ro positive, anti-Sm negative.", "Ro"),
        ("i buy the the brand name salt and vinegar ones", "salt"),  # a product's name, not a person's
        ("in your case another name is farmer's lung", "farmer"),
        ("Impression: PD, Hoehn & Yahr 2.5.", "Hoehn"),
        ("Patient Name: Ingrid Halvorsen          Date: January 19, 2085", "Date"),
    ],
)
def test_words_near_cues_that_are_no_names(detector, text, word):
    assert covered(detector, text, word) is None


@pytest.mark.parametrize(
    "text, needle, label",
    [
        ("CARDIAC REHAB REFERRAL TO BOSTON MEDICAL CENTER CARDIAC REHAB PROGRAM. FOLLOW UP IN 2 WEEKS.", "BOSTON MEDICAL CENTER", "LOCATION"),
        ("CC: DR. WENDELL PRICE, HARBORVIEW FAMILY MEDICINE. THE PATIENT IS STABLE.", "HARBORVIEW FAMILY MEDICINE", "LOCATION"),
        ("Repeat TTE at end of therapy (~10/21).", "10/21", "DATE"),
        ("The patient was transferred to room 123 this afternoon.", "123", "LOCATION"),
        ("Followed in MGH cardiology clinic.", "MGH", "LOCATION"),
        ("Loc: 7 North rm 714 | Requesting: Dr. F", "7 North", "LOCATION"),
        ("progress note, 5 east renal", "5 east", "LOCATION"),
    ],
)
def test_names_in_capitals_tilde_dates_rooms_and_unit_acronyms(detector, text, needle, label):
    assert covered(detector, text, needle) == label


@pytest.mark.parametrize(
    "text, needle",
    [
        ("THE PATIENT WAS SEEN IN OUR FAMILY MEDICINE CLINIC AND AT THE MEDICAL CENTER. HE HAS CHF.", "MEDICAL CENTER"),
        ("CARDIAC REHAB REFERRAL TO BOSTON MEDICAL CENTER CARDIAC REHAB PROGRAM.", "CARDIAC REHAB PROGRAM"),
        ("She is a 45-year-old African-American gravida7, para3.", "gravida7"),
        ("She graduated from high school and was an average student.", "average student"),
        ("The patient was brought to the operating room #2 and placed supine.", "2"),
        ("TSH labs pending. NPH insulin started.", "TSH"),
        ("Left knee reveals a range of -10 degrees extension, 126 flexion.", "10 degrees extension"),
    ],
)
def test_generic_phrases_stay(detector, text, needle):
    assert covered(detector, text, needle) is None


@pytest.mark.parametrize(
    "text, place",
    [
        ("57M from Fall River, originally from the Azores.", "Fall River"),
        ("Report from a reference lab, Salt Lake City, UT, CLIA pending.", "Salt Lake City, UT"),
        ("Returned from a trip to Lagos, Nigeria and Accra, Ghana last week.", "Accra, Ghana"),
    ],
)
def test_towns_by_their_shape(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("Admitted to Intensive Care Unit overnight.", "Intensive Care"),
        ("Allergies: Penicillin, Ohio sulfa list reviewed.", "Penicillin"),
    ],
)
def test_no_town_from_units_or_drugs(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, job",
    [
        ("Works as a lifeguard and swim instructor at the pool.", "swim instructor"),
        ("She is a nurse manager at a children's hospital.", "nurse manager"),
        ("He is a retired tool-and-die maker.", "tool-and-die maker"),
        ("THIS IS A 46-YEAR-OLD VIETNAMESE-SPEAKING MALE ROOFER WHO FELL.", "ROOFER"),
        ("SOCIAL: FORMER DIESEL MECHANIC. DIVORCED.", "DIESEL MECHANIC"),
    ],
)
def test_occupations_joined_compound_or_in_capitals(detector, text, job):
    assert covered(detector, text, job) == "OTHER"


@pytest.mark.parametrize("text", ["He is a hard worker and a good father.", "She is a former smoker and a heavy drinker."])
def test_habits_are_no_occupations(detector, text):
    assert "OTHER" not in {s.label for s in detector.detect_texts([text])[0]}


@pytest.mark.parametrize(
    "text, age",
    [
        ("This 11-month-old boy presents with fever.", "11"),
        ("DOB: 3/9/2080 (4 yrs)  Sex: M", "4"),
        ("Age: 11 months. Weight 9 kg.", "11"),
        ("Age/Sex: 64/F", "64"),
    ],
)
def test_ages_of_children_and_in_forms(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, number",
    [
        ("Symptoms (3 months) and a rash (2 yrs).", "3"),
        ("Gestational age 38 weeks.", "38"),
        ("Pain for 6 weeks; 2 months of cough.", "6"),
    ],
)
def test_durations_are_no_ages(detector, text, number):
    assert covered(detector, text, number) is None


def test_a_nickname_in_quotes_inside_a_name(detector):
    assert covered(detector, 'Pt: Walter "Buddy" Prentiss   Age: 91', "Buddy") == "NAME"


def test_a_word_between_two_quoted_names_is_no_nickname(detector):
    assert covered(detector, 'The words "Daniel" and "Papas" are tattooed on the pelvis.', "and") is None


@pytest.mark.parametrize(
    "text, word, label",
    [
        ("Chaplain Pastor Ray Lyle visited the family.", "Pastor", None),
        ("Chaplain Pastor Ray Lyle visited the family.", "Ray Lyle", "NAME"),
        ("Treated with NAC per the Rumack-Matthew nomogram.", "Matthew", None),
        ("Center\n2741 Wellington Park Dr, Suite 110, Raleigh, NC 27607\nPhone 919.555.0122", "Phone", None),
    ],
)
def test_clergy_titles_joined_eponyms_and_contact_labels(detector, text, word, label):
    assert covered(detector, text, word) == label


@pytest.mark.parametrize(
    "text, place",
    [
        ("pt is a retired firefighter from quincy. plan: egd in am", "quincy"),
        ("A LOBSTERMAN FROM GLOUCESTER, WITH NO HISTORY.", "GLOUCESTER"),
        ("He goes to Brookline High School.", "Brookline High School"),
        ("PERFORMED AT LAKESIDE IMAGING CENTER. TECHNIQUE: AXIAL IMAGES.", "LAKESIDE IMAGING CENTER"),
    ],
)
def test_towns_from_the_gazetteer_where_a_place_is_expected(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


@pytest.mark.parametrize(
    "text, word",
    [
        ("stable in reading and in mobile phone use; worse in bath.", "reading"),
        ("stable in reading and in mobile phone use; worse in bath.", "mobile"),
        ("flushed in normal saline", "normal"),
        ("delayed union of the fracture; pain in union site", "union"),
    ],
)
def test_towns_that_are_everyday_words_stay_words(detector, text, word):
    assert covered(detector, text, word) is None


def test_the_town_lexicon_holds_towns_not_words():
    from syndeid.phi.lexicon import load_towns

    towns = load_towns()
    assert {"boston", "quincy", "framingham", "salt lake city", "accra"} <= towns
    assert len(towns) > 5000 and not any(ch.isdigit() for town in towns for ch in town)


@pytest.mark.parametrize(
    "text, organisation",
    [
        ("Home O2 company (Lincare) checked her sats today.", "Lincare"),
        ("HER PHARMACY (RITE AID) CLOSED LAST MONTH.", "RITE AID"),
        ("pt gets meds from walgreens, dtr picks up.", "walgreens"),
        ("Insurance: Harvard Pilgrim, member ID on file.", "Harvard Pilgrim"),
        ("Transferred to Kindred for long-term ventilator weaning.", "Kindred"),
    ],
)
def test_listed_companies_and_health_plans(detector, text, organisation):
    assert covered(detector, text, organisation) == "LOCATION"


@pytest.mark.parametrize(
    "text, word",
    [
        ("He said he felt a kindred spirit with the other patients.", "kindred"),
        ("she sang the national anthem at the game.", "anthem"),
    ],
)
def test_listed_names_that_are_english_words_need_a_capital(detector, text, word):
    assert covered(detector, text, word) is None


@pytest.mark.parametrize(
    "text, age",
    [
        ("FHx: father 82, HTN; brother, 54, DM.", "82"),
        ("FHx: father 82, HTN; brother, 54, DM.", "54"),
        ("Mother deceased. Father alive, 88, with dementia.", "88"),
        ("Married 40 years, wife is 66.", "66"),
        ("Two sons ages 30 and 33, both well.", "33"),
        ("Children are ages 47, 49, and 51.", "49"),
        ("M/78 presenting with syncope.", "78"),
        ("F, 64, presents with dyspnea.", "64"),
        ("I saw Mrs. Okafor, 72, in clinic today.", "72"),
        ("She celebrated her 90th birthday in March.", "90th"),
        ("Pt: Jane Roe   45/F   MRN 12345", "45"),
        ("Pt: Jane Roe   Age 45Y   MRN 12345", "45Y"),
        ("45 Y M with chest pain.", "45"),
        ("male, 45, smoker.", "45"),
        ("is a 45 y old man with gout", "45"),
        ("Ms. Roe is 45.", "45"),
    ],
)
def test_ages_of_relatives_lists_and_forms(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, number",
    [
        ("His son called 12 hours ago.", "12"),
        ("Father, 15 years ago, had a stroke.", "15"),
        ("Her brother 45 minutes away drives her.", "45"),
        ("Children ages 2-5 attend the program.", "2"),
        ("M/s 5/5 throughout.", "5"),
        ("Placed a  16 F Foley catheter.", "16"),
        ("Smoked for 45 yrs, quit.", "45"),
    ],
)
def test_durations_and_ranges_near_relatives_are_no_ages(detector, text, number):
    assert covered(detector, text, number) is None


@pytest.mark.parametrize(
    "text, needle, label",
    [
        ("noted furosemide Tues/Wed doses still in box.", "Tues", "DATE"),
        ("Pigtail catheter (Cook kit lot 19K4402) placed.", "19K4402", "ID"),
        ("NAME: HOLLOWAY, CLARENCE T    LAST 4: 4417    DATE: FEB 2, 2070", "4417", "ID"),
        ("BEAUREGARD, LOUIS-PHILIPPE   WVH 0039-8812", "0039", "ID"),
        ("Bard PowerPICC SN 8841-22907 placed.", "22907", "ID"),
        ("37 yo m s/p mcc vs car on route 9 6/6.", "route", "LOCATION"),
    ],
)
def test_weekday_pairs_lot_numbers_ssn_ends_and_roads(detector, text, needle, label):
    assert covered(detector, text, needle) == label


@pytest.mark.parametrize(
    "text, needle",
    [
        ("A lot of pain. Lot 5 of the study.", "5"),
        ("BP 120-130 today. HR 100-120.", "120"),
        ("sat 94% on ra, wed to her husband in 1990.", "wed"),
        ("Given by the oral route 2 times.", "route"),
    ],
)
def test_lots_readings_and_words_that_look_like_days(detector, text, needle):
    assert covered(detector, text, needle) is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("Seen with Dr. van der Berg today.", "van"),
        ("Discussed with Dr. de la Cruz.", "la"),
        ('Patient goes by "Bud".', "Bud"),
        ('He is known as "Sonny" to his friends.', "Sonny"),
    ],
)
def test_particles_after_a_title_and_quoted_names_after_a_cue(detector, text, name):
    assert covered(detector, text, name) == "NAME"


def test_a_quoted_word_after_is_stays(detector):
    assert covered(detector, 'The drug is "generic".', "generic") is None


@pytest.mark.parametrize(
    "text, place",
    [
        ("She follows with oncology at the Brigham.", "Brigham"),
        ("Followed at the VA for his diabetes.", "VA"),
        ("She was incarcerated at MCI Framingham until May.", "MCI Framingham"),
        ("Dialysis MWF at DaVita Quincy.", "DaVita Quincy"),
    ],
)
def test_places_of_care_named_after_at_the_and_branches_by_town(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("Recovering from the Whipple, doing well.", "Whipple"),
        ("VA 20/40 in the left eye, at the VA 20/30.", "20"),
        ("Pain at the McBurney point.", "McBurney"),
        ("Attends Boston Latin School.", "Attends"),
    ],
)
def test_procedures_acuity_and_sentence_verbs_are_no_places(detector, text, words):
    assert covered(detector, text, words) != "LOCATION"


@pytest.mark.parametrize(
    "text, place",
    [
        ("pt admitted from golden pond nursing & rehab, baseline a&ox2.", "golden pond"),
        ("PT ADMITTED FROM SUNNY ACRES NURSING HOME.", "SUNNY ACRES"),
        ("pt returned to maple grove assisted living today.", "maple grove"),
    ],
)
def test_lowercase_and_capital_homes_named_after_a_move(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("pt discharged to home with nursing & rehab services.", "home"),
        ("admitted from the nursing home.", "nursing"),
        ("Discharged to assisted living. Independent living facility.", "Independent"),
    ],
)
def test_kinds_of_care_home_are_no_names(detector, text, words):
    assert covered(detector, text, words) is None


def test_everyday_words_capitalised_inside_a_sentence_name_a_practice(detector):
    assert covered(detector, "Follow-up at Harbor Point Cardiology in 2 weeks.", "Harbor Point Cardiology") == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("Seen by Interventional Radiology and Advanced Radiology.", "Advanced"),
        ("He is a sophomore at High School.", "High"),
        ("The patient was taken to the Cardiac Catheterization Lab.", "Catheterization"),
        ("Consulted Physical Therapy and Home Health.", "Physical"),
    ],
)
def test_capitalised_kinds_of_service_and_school_are_no_names(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, needle, label",
    [
        ("EDVISIT^12345678^Oneil, Henry^03/18/2095^WARREN, DEBORAH", "Henry", "NAME"),
        ("EDVISIT^12345678^Oneil, Henry^03/18/2095^WARREN, DEBORAH", "WARREN", "NAME"),
        ("F/u 2 wks, ~Apr 20.", "Apr", "DATE"),
        ("Last seen Fall 2088.", "Fall", "DATE"),
        ("Next appt: Thurs.", "Thurs", "DATE"),
        ("Sent to Bayside Endoscopy for EGD.", "Bayside", "LOCATION"),
    ],
)
def test_caret_headers_seasons_and_weekdays_after_a_cue(detector, text, needle, label):
    assert covered(detector, text, needle) == label


@pytest.mark.parametrize(
    "text, needle",
    [
        ("on sat 92% RA. Pt on sat monitor.", "sat"),
        ("He had a fall 2 weeks ago.", "fall"),
        ("Avoid sun exposure on sun days.", "sun"),
    ],
)
def test_saturation_sunlight_and_falls_are_no_dates(detector, text, needle):
    assert covered(detector, text, needle) is None


@pytest.mark.parametrize(
    "text, ward", [("Pt transferred to Ellison 12 for further care.", "Ellison 12"), ("She was on Bigelow 11 until 3/4.", "Bigelow 11")]
)
def test_wards_named_by_building_and_floor(detector, text, ward):
    assert covered(detector, text, ward) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [("He is on Keppra 500 bid. She is on Lasix 40.", "Lasix"), ("Advanced to Phase 2 of the protocol.", "Phase"),
     ("Started on Xarelto 20 daily.", "Xarelto")],
)
def test_doses_and_phases_are_no_wards(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("Transport by Chesapeake Bay Ambulance, unit 7.", "Chesapeake Bay Ambulance"),
        ("Volunteers at the Appalachian Trail Library.", "Appalachian Trail Library"),
    ],
)
def test_proper_nouns_of_the_common_word_list_name_an_organisation(detector, text, name):
    """Philter's common-word list holds proper nouns ("chesapeake"); English writes them capitalised, so they
    name the body before its head."""
    assert covered(detector, text, name) == "LOCATION"


def test_proper_words_come_from_case_frequencies():
    from syndeid.phi.lexicon import load_lexicons

    lexicons = load_lexicons()
    assert {"chesapeake", "appalachian"} <= lexicons.proper_words
    assert not {"sound", "library", "monday", "american", "furthermore", "dont"} & lexicons.proper_words
    assert lexicons.proper_words <= lexicons.common_words


@pytest.mark.parametrize(
    "text, name",
    [
        ("Insurance: Granite State Health Plan of New Hampshire, member ID on file.", "Granite State Health Plan of New Hampshire"),
        ("He sleeps at the Kearny Street Inn most nights.", "Kearny Street Inn"),
        ("Member of the Oshkosh Rotary Club.", "Oshkosh Rotary Club"),
        ("She worked 20 years at the Ludlow Mill.", "Ludlow Mill"),
    ],
)
def test_plans_inns_clubs_and_mills_named_by_a_distinctive_word(detector, text, name):
    assert covered(detector, text, name) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("Assessment and Plan: continue lisinopril. Care Plan reviewed.", "Plan"),
        ("Referred to the Diabetes Prevention Program and Cardiac Rehab Program.", "Cardiac Rehab"),
        ("He was seen in Urology Clinic and Radiology Clinic last week.", "Urology Clinic"),
        ("CARDIAC REHAB REFERRAL TO BOSTON MEDICAL CENTER CARDIAC REHAB PROGRAM.", "CARDIAC REHAB PROGRAM"),
    ],
)
def test_kinds_of_plan_program_and_department_are_no_names(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, age",
    [("Brother (47) with DM2, sister (52) healthy.", "47"), ("she's 31 and expecting her first child.", "31")],
)
def test_capitalised_relatives_and_contracted_is_give_ages(detector, text, age):
    assert covered(detector, text, age) == "AGE"


def test_a_possessive_before_a_duration_is_no_age(detector):
    assert covered(detector, "The findings of this patient's 72.5-hour EEG study are normal.", "72") is None


@pytest.mark.parametrize(
    "text, job",
    [("Soc hx: married, 3 kids, bookkeeper, social EtOH.", "bookkeeper"), ("SHX: divorced, machinist, no tobacco.", "machinist")],
)
def test_an_occupation_that_is_a_whole_list_item(detector, text, job):
    assert covered(detector, text, job) == "OTHER"


def test_staff_in_a_list_are_no_occupations(detector):
    assert covered(detector, "Plan discussed with nurse, physician, family.", "nurse") is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("Labs at QMC were notable for Cr 2.1.", "QMC"),
        ("Previously followed at Fairview for his CHF.", "Fairview"),
        ("Pt from Maple Grove Assisted Living of Framingham.", "Maple Grove Assisted Living of Framingham"),
        ("She was discharged to Tewksbury House on 4/2.", "Tewksbury House"),
        ("He buys his supplies at Wal-Mart.", "Wal-Mart"),
    ],
)
def test_medical_center_acronyms_proper_nouns_after_at_and_homes_of_a_town(detector, text, name):
    assert covered(detector, text, name) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("Tenderness at CMC joint of the thumb.", "CMC"),
        ("She was last seen in the Pulmonary Medicine Clinic in May.", "Pulmonary Medicine Clinic"),
        ("Follow up in Podiatry Clinic for dressing change.", "Podiatry Clinic"),
    ],
)
def test_joints_and_specialty_clinics_are_no_places(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, acronym",
    [
        ("pt seen at qgh er yesterday. labs ok.", "qgh"),
        ("transferred from kwh for higher level of care.", "kwh"),
        ("PT WAS TRANSFERRED FROM DMC FOR CATH.", "DMC"),
    ],
)
def test_hospital_acronyms_where_case_says_nothing(detector, text, acronym):
    assert covered(detector, text, acronym) == "LOCATION"


@pytest.mark.parametrize(
    "text, word",
    [("pt c/o pain, bath at 0800 with cna.", "bath"), ("PAIN AT CMC JOINT. TSH FROM LAST WEEK.", "CMC")],
)
def test_words_and_clinical_acronyms_where_case_says_nothing_are_no_hospitals(detector, text, word):
    assert covered(detector, text, word) is None


@pytest.mark.parametrize(
    "text, age",
    [
        ("Other children, Tove (6) and Anders (3), are with grandmother Greta, 64, in town.", "6"),
        ("Other children, Tove (6) and Anders (3), are with grandmother Greta, 64, in town.", "64"),
        ("Son Emeka, 33, healthy.", "33"),
        ("Married to Harjit Gill (35), a welder.", "35"),
        ("Father-in-law (81) lives with them.", "81"),
        ("Grandpa (74, a retired plumber) found him.", "74"),
        ("Daughter reports her mother (pt, 88) fell twice.", "88"),
        ('Father died at 59 "of his heart."', "59"),
        ("Sister (late-50s) has lupus.", "50s"),
        ("HIS TWO CHILDREN, AGES 14 AND 8, ARE WELL.", "8"),
        ("HPI: 67yr M with COPD.", "67yr"),
        ("A man of 74 presented with syncope.", "74"),
        ("Her children are 5 and 9.", "9"),
        ("She is a 72+ yo woman.", "72"),
    ],
)
def test_ages_after_names_relatives_and_in_headers(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, number",
    [("Called Dr. Kernan, 555-0134, no answer.", "555"), ("Seen by Dr. Kernan, 3 times this year.", "3"),
     ("Started Lasix (40) daily.", "40"), ("A man of 74 kg presented.", "74")],
)
def test_numbers_after_names_and_doses_are_no_ages(detector, text, number):
    assert covered(detector, text, number) != "AGE"


@pytest.mark.parametrize(
    "text, job",
    [
        ("Her nephew Tariq Haddad, a pharmacist, reviewed the list.", "pharmacist"),
        ("Lives with daughter Mai (nail salon owner).", "nail salon owner"),
        ("She is a retired court stenographer.", "court stenographer"),
        ("He is a retired auto assembly line worker.", "auto assembly line worker"),
        ("She is a 40 y/o high school PE teacher.", "PE teacher"),
    ],
)
def test_occupations_in_appositions_and_compounds(detector, text, job):
    assert covered(detector, text, job) == "OTHER"


def test_a_sentence_adverb_before_a_comma_is_no_name_with_a_job(detector):
    assert covered(detector, "Then, a pilot 150 wire was advanced across the lesion.", "pilot") is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("Arrived by EMS (Tri-Valley Ambulance) at 0300.", "Tri-Valley Ambulance"),
        ("He was laid off from Wexford Mutual in April.", "Wexford Mutual"),
        ("Prior therapist at Larchmont Counseling.", "Larchmont Counseling"),
        ("Support group at First Methodist Church on Sunday.", "First Methodist Church"),
        ("Presented to the Hadley-New Haven Medical Center.", "Hadley-New Haven Medical Center"),
    ],
)
def test_organisations_with_compound_names_ordinals_and_more_heads(detector, text, name):
    assert covered(detector, text, name) == "LOCATION"


def test_a_town_that_is_an_everyday_word_names_no_organisation(detector):
    text = "Tests: Visual Naming, Controlled Oral Word Association, Spelling Test."
    assert covered(detector, text, "Controlled Oral Word Association") is None


@pytest.mark.parametrize(
    "text, ward",
    [
        ("MRN 0042-11   Lunder 8 rm 8114", "Lunder 8"),
        ("Unit: Tower 9 Ortho, room 9-22", "Tower 9"),
        ("MRN 88-20147   Pavilion 5 West, bed 14A", "Pavilion 5 West"),
        ("Transfer to Blake 6 palliative bed if available.", "Blake 6"),
    ],
)
def test_wards_named_by_building_and_floor_next_to_a_bed_or_wing(detector, text, ward):
    assert covered(detector, text, ward) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("After 3 unit dose of albuterol, better.", "After 3"),
        ("Received 2 units PRBC, bed 4.", "Received 2"),
        ("Stage 4 pressure ulcer, bed alarm on.", "Stage 4"),
        ("Mallampati 2, ASA 3, bed flat.", "Mallampati 2"),
    ],
)
def test_counts_stages_and_verbs_before_a_bed_are_no_wards(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, room", [("Triage rm T3 -> LDR 411.", "T3"), ("Triage rm T3 -> LDR 411.", "411"), ("Rm PED-9 | Attending: Dr. Osei", "PED-9")]
)
def test_delivery_rooms_and_lettered_rooms(detector, text, room):
    assert covered(detector, text, room) == "LOCATION"


@pytest.mark.parametrize(
    "text, initials",
    [
        ("Tobias Okoro, MD\nDictated 08/19/2091 14:22   tn/lrk\ncc: Dr. Vance", "lrk"),
        ("DT: 01/14/94\nSJW / mrt     Batch: 30918\n", "mrt"),
        ("D: 07/04/01 18:40\nBAC:jmw\n", "jmw"),
    ],
)
def test_dictation_initials_in_any_case_and_spacing(detector, text, initials):
    assert covered(detector, text, initials) == "NAME"


def test_units_either_side_of_a_slash_are_no_initials(detector):
    text = "Vanc 15 mg/kg q12h.\nDose:   mg/kg\n"
    assert covered(detector, text, "kg") is None


@pytest.mark.parametrize(
    "text, date",
    [("INR stable, recheck 12/3.", "12/3"), ("Was on 4L on admit 5/5.", "5/5"), ("1 NSVT episode 11/1. No AF.", "11/1")],
)
def test_month_days_after_clinical_event_cues(detector, text, date):
    assert covered(detector, text, date) == "DATE"


def test_a_grade_after_a_cue_stays_a_grade(detector):
    assert covered(detector, "On repeat 4/5 strength in the left arm.", "4/5") is None


@pytest.mark.parametrize(
    "text, place",
    [
        ("CHEST X-RAY OBTAINED AT ST. ANSELM'S ON JANUARY 29.", "ST. ANSELM'S"),
        ("Parish priest from St. Brigid's to visit.", "St. Brigid's"),
        ("Picked up by Tacoma Police Department last night.", "Tacoma Police Department"),
        ("Retired machinist from General Electric, lives alone.", "General Electric"),
    ],
)
def test_saints_possessives_departments_and_listed_employers(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


def test_a_saints_herb_is_no_place(detector):
    assert covered(detector, "Takes St. John's wort daily.", "wort") is None


@pytest.mark.parametrize(
    "text, age",
    [("Her son Pavel (57, orthodontist) visits.", "57"), ("For her mother's birthday - she is now 85 - she flew home.", "85"),
     ("Early menopause at 41.", "41")],
)
def test_ages_in_asides_and_at_menopause(detector, text, age):
    assert covered(detector, text, age) == "AGE"


def test_an_occupation_that_ends_an_aside(detector):
    assert covered(detector, "Her son Pavel (57, orthodontist) visits.", "orthodontist") == "OTHER"


def test_proper_nouns_make_a_statistical_place_but_temperature_scales_do_not(detector):
    text = "Temperature 99 degrees Fahrenheit, pulse 142. Lives in Hennepin County with his wife."
    assert covered(detector, text, "Hennepin County") == "LOCATION"
    assert covered(detector, text, "Fahrenheit") is None


@pytest.mark.parametrize(
    "text, date",
    [
        ("Date: Wed 2/8/2068   Provider: A. Kekumu, FNP", "Wed"),
        ("DATE OF NOTE: OCT 03, 2087@10:42     ENTRY DATE: OCT 03, 2087@11:15:07", "OCT 03, 2087@10:42"),
        ("Admitted from Sanford (12/5-12/12) for rehab.", "12/5-12/12"),
        ("Office notes 3/2 through 8/30/2076 reviewed.", "3/2"),
        ("Enclosures: clinic notes 9/2093-3/2094; seizure diary.", "9/2093-3/2094"),
        ("IOP group Tuesdays/Thursdays 5:30 pm. Son visits Sundays.", "Sundays"),
        ("PRESENTED TO THE EMERGENCY CENTER ON THANKSGIVING DAY WITH FEVER.", "THANKSGIVING DAY"),
        ("LAST ADMITTED TO THIS HOSPITAL IN AUGUST OF 1991 FOR PANCREATITIS.", "AUGUST OF 1991"),
        ("Typhoid oral May, hep A series complete.", "May"),
        ("Start OCP bridge March cycle, antagonist protocol.", "March"),
        ("11/11/2081 (Veterans Day) seen at the clinic.", "Veterans Day"),
        ("Wants to be back at work by Lunar New Year.", "Lunar New Year"),
        ("Family meeting 12/24 (xmas eve) in the MICU.", "xmas eve"),
        ("Attends NA at Grace Episcopal Wed nights.", "Wed"),
        ("Missed one dose on the 2nd due to the snowstorm.", "2nd"),
    ],
)
def test_vista_stamps_ranges_plural_weekdays_and_holidays(detector, text, date):
    assert covered(detector, text, date) == "DATE"


@pytest.mark.parametrize("text", ["Pt may return to work Monday.", "Seen by Dr. May today.", "Ms. March called back."])
def test_the_verb_and_a_person_are_no_month(detector, text):
    assert covered(detector, text, "may" if "may" in text else "May" if "May" in text else "March") != "DATE"


def test_a_murmur_range_stays_a_grade(detector):
    assert covered(detector, "Harsh 2/6-3/6 murmur at the apex.", "2/6") is None


def test_a_sentence_ending_in_way_is_no_street(detector):
    assert covered(detector, "He had a fall in 2008 after his legs gave way.", "legs") is None


@pytest.mark.parametrize(
    "text, age",
    [
        ("Lives with wife and 3 children (ages 11, 14, 17).", "14"),
        ("Mother: breast cancer dx 44, ovarian cancer dx 56, deceased 58 (2071).", "56"),
        ("Mother: breast cancer dx 44, ovarian cancer dx 56, deceased 58 (2071).", "58"),
        ("Father: 66, prostate ca dx 64.", "66"),
        ("WENT TO MEXICO TO VISIT HIS MOTHER, WHO IS 71. HE WAS STARTED ON FLAGYL.", "71"),
    ],
)
def test_family_history_ages_without_at(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, employer",
    [
        ("Retired lineman for Alabama Power. Reports FSBS 140-180s.", "Alabama Power"),
        ("63 YO MALE, A ROOFER FOR GULF COAST ROOFING, WHO PRESENTED WITH PAIN.", "GULF COAST ROOFING"),
        ("Works as a delivery driver for UPS. Goal: return to work.", "UPS"),
        ("Father (38, coal miner at Mepco) at bedside.", "Mepco"),
    ],
)
def test_the_employer_after_an_occupation(detector, text, employer):
    assert covered(detector, text, employer) == "LOCATION"


@pytest.mark.parametrize(
    "text, words", [("She is a nurse at Home Health.", "Home"), ("He is a technician with Cardiology.", "Cardiology")]
)
def test_everyday_and_clinical_words_after_an_occupation_are_no_employer(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, job",
    [("54-year-old male, former tool and die maker, smoker.", "tool and die maker"),
     ("Mom works nights as hotel housekeeper at the Benson.", "hotel housekeeper")],
)
def test_tool_and_die_and_work_schedules_before_as(detector, text, job):
    assert covered(detector, text, job) == "OTHER"


@pytest.mark.parametrize(
    "text, place",
    [
        ("URGENT CARE VISIT | MedExpress - Morgantown, WV     Date: 08/06/23", "Morgantown, WV"),
        ("Kearns Medical Center, Murray, UT    Pre-Admission Testing", "Murray, UT"),
        ("Bethany Home | Sioux Falls, SD | Admit date: 12/12/2070", "Sioux Falls, SD"),
    ],
)
def test_a_town_and_state_closing_a_header_field(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


@pytest.mark.parametrize(
    "text, words", [("Station: no drift,Gait ND,Reflexes: 3+.", "ND"), ("Hx: anxiety, Depression, MI.", "MI")]
)
def test_clinical_abbreviations_shaped_like_state_codes_stay(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, initials",
    [
        ("T: 08/30/2062 16:40  AN/ldw | Job #4471093", "ldw"),
        ("NGOZI ADEBAYO, M.D.\n\nNA/JMB\nD: 12/06/93 14:20\n", "JMB"),
        ("Provider: Tamsin Okoro, MD   Scribe: blangford | Patient: Rutledge", "blangford"),
    ],
)
def test_typists_initials_and_scribe_logins(detector, text, initials):
    assert covered(detector, text, initials) == "NAME"


@pytest.mark.parametrize("text, room", [("Placed in Resus 3. EKG to MD at 02:19.", "3"), ("MICU 5RC  Bed 5RC-14 | Date: Tuesday", "5RC-14")])
def test_resuscitation_bays_and_lettered_beds(detector, text, room):
    assert covered(detector, text, room) == "LOCATION"


@pytest.mark.parametrize(
    "text, place",
    [
        ("PT consult Mayaguez OPC for knee pain.", "Mayaguez OPC"),
        ("A nurse from Bayview Home Health will call you.", "Bayview Home Health"),
        ("Labs on June 6th at any Sentara lab.", "Sentara lab"),
        ("Employer: Allegheny Ductile Iron Works", "Allegheny Ductile Iron Works"),
        ("Maintenance worker for the North Slope Borough, retired.", "North Slope Borough"),
    ],
)
def test_va_clinics_home_health_lowercase_labs_works_and_boroughs(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [("Public Works called about the ramp.", "Public Works"), ("Send the sample to the lab today.", "lab"),
     ("History of Nonsteroidal Anti-Inflammatory Drug use.", "Anti")],
)
def test_kinds_of_works_labs_and_drugs_are_no_names(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, place",
    [("CONSULT | UNC Hospitals / Adams School of Dentistry", "UNC Hospitals"), ("Followed at the MGH Cancer Center.", "MGH Cancer Center"),
     ("Workup done at UCLA Medical Center.", "UCLA Medical Center")],
)
def test_health_system_acronyms_before_a_hospital_or_centre(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


def test_clinics_named_by_a_disease_acronym_are_no_places(detector):
    text = "Seen in the CHF Clinic, the COPD Clinic and the HIV Clinic this month."
    assert all(covered(detector, text, clinic) is None for clinic in ("CHF Clinic", "COPD Clinic", "HIV Clinic"))


@pytest.mark.parametrize("text, extension", [("Social worker G. Marchetti x4417.", "x4417"), ("M. Ibarra, LICSW   x4-7719", "x4-7719")])
def test_phone_extensions(detector, text, extension):
    assert covered(detector, text, extension) == "CONTACT"


def test_counts_and_magnifications_are_no_extensions(detector):
    text = "Repeat x3. Given x2. Viewed at x1000."
    assert covered(detector, text, "x1000") is None and covered(detector, text, "x3") is None


@pytest.mark.parametrize(
    "text, age",
    [
        ("walter kowalczyk 81m ckd4 (egfr 22) from dm", "81"),
        ("pt jolene pruitt 51f mrn 20931", "51"),
        ("rosalinda ochoa 61 f. mrn 402281.", "61"),
        ("Patient: Cody Wayne Ashby   33   DOB 4/1/58", "33"),
        ("client: liam fecteau, 19. located at home", "19"),
        ("Pt: Anselm Berglund 55M  MRN 7720391", "55"),
    ],
)
def test_a_number_after_a_name_with_a_sex_letter_or_ending_a_field_is_an_age(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, number",
    [
        ("Seen by Dr. Lee 2 weeks ago.", "2"),
        ("Dr. Kim 5 f/u visits so far.", "5"),
        ("Met Dr. Patel 3 times.", "3"),
        ("Weighed Maria 3.5 kg at birth.", "3"),
        ("Growth plates open, Risser 0, observe.", "0"),
    ],
)
def test_a_number_after_a_name_followed_by_a_unit_or_word_is_no_age(detector, text, number):
    assert covered(detector, text, number) is None


@pytest.mark.parametrize(
    "text, age",
    [
        ("Daughter Ellen 62 with HTN.", "62"),  # a relative's first name before the age
        ("lives with son arturo 72 and his wife.", "72"),
        ("mother Siobhan 44 - asymptomatic", "44"),
        ("maternal aunt Maeve 48 (ICD placed)", "48"),
        ("uncle 51, cousins 22, 14, 9 - unscreened", "14"),  # a list of relatives' ages
        ("Grandchildren: 19, 16, 12.", "16"),
        ("Children: 11 and 8.", "8"),
        ("Father d. at 58 of MI, mother d. 84 stroke.", "84"),  # "d." for died, no "at"
        ("Brother Morris CABG at 61, died 93.", "93"),
        ("Born in Ireland, emigrated at 19.", "19"),  # ages at life events
        ("Worked as an operator until retiring at 62.", "62"),
        ("Herself: adenomatous polyps at 58 and 66.", "58"),
    ],
)
def test_ages_in_family_and_social_histories(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, number",
    [
        ("Her son has 2 kids.", "2"),
        ("Mother died 2 days later.", "2"),
        ("Children: 2 of 3 vaccinated.", "2"),
        ("Brother gave 40 mg.", "40"),
        ("Grandchildren: 2-3 visits a week.", "2"),
    ],
)
def test_counts_durations_and_doses_near_relatives_are_no_ages(detector, text, number):
    assert covered(detector, text, number) is None


@pytest.mark.parametrize(
    "text, age",
    [
        ("NICU PROGRESS NOTE - DOL 5", "5"),  # day of life
        ("Discharged home on day of life #3.", "3"),
        ("Lucas is a 18 mo M here for a visit.", "18"),
        ("Pt: Harper Whitlow, 7 mo F, DOB 7/3/90", "7"),
        ("4 YEAR WELL CHILD CHECK", "4"),
        ("Follow up for the 15-month well child check.", "15"),
        ("Next WCC at 5 years.", "5"),
        ("Murmur heard at 2 wk wcc.", "2"),
        ("Due today for her 4 month shots.", "4"),
        ("Gross motor: walked at 17 mo, sat alone at 6 months.", "17"),  # milestones
        ("Sat alone at 6 months.", "6"),
        ("Age 22 months (corrected 20 mo).", "20"),
        ("NICU follow-up clinic at 4 MOS CORRECTED.", "4"),
        ("Siblings: Mateo 2 1/2 y/o, healthy.", "2"),
        ("here w/ mom and grandma (60s).", "60s"),  # a relative's decade
        ("Son, late 30s, lives nearby.", "30s"),
        ("Mother-in-law, 60ish, visiting.", "60ish"),
        ("Three kids (19, 16, 13).", "16"),  # a bracketed list of relatives' ages
        ("Reason: Patient (52), an assembly line worker.", "52"),
        ("svetlana ivanova 47 dob 3-22-44 called", "47"),  # after a name, before a birth date
        ("Siblings: Abigail 8, Samuel 11 mo.", "11"),  # relatives' names, each with an age
        ("kids zahra 10, omid 6 at whitney elementary", "6"),
        ("7 lb 2 oz girl (Addison, now 3).", "3"),  # a child's age now
        ("Patient: Lupe Renteria   DOB 12/15/2046 (43)   ID 2291", "43"),  # bracketed after a birth date
        ("Pt 71, retired letter carrier.", "71"),
        ("grandmother senile from her late 40s, died 55.", "40s"),
        ("father - dm2 dx ~50, died 76.", "50"),
        ("Repair at 3 days of age.", "3"),
        ("began drinking at 15, daily by 19.", "15"),  # ages at life events
        ("One withdrawal seizure at 38.", "38"),
    ],
)
def test_ages_of_children_infants_and_relatives(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, number",
    [
        ("Follow up in 2 wks F/u with PCP.", "2"),
        ("Dialysis 3 days M/W/F.", "3"),
        ("Gestational age 34 wk; CGA 36 wk.", "36"),  # a gestational age is no age
        ("Started Lasix 2 mo ago.", "2"),
        ("Seen 6 months post-op at her 6 month visit.", "6"),
        ("Sats in the 80s, HR 60ish.", "80s"),  # readings
        ("HR 60ish overnight.", "60ish"),
        ("Walking 3 blocks at 2 mph.", "3"),
        ("INR now 3. Pain now 3/10.", "3"),  # "now" without a child or relative
        ("PT 12, PTT 26, INR 1.0.", "12"),  # the prothrombin time
        ("Lasix (40) daily.", "40"),
        ("Pt 2 of 3 enrolled.", "2"),
        ("First seen at 10. Left knee flexed at 90.", "10"),
    ],
)
def test_durations_gestations_and_readings_near_child_age_words_are_no_ages(detector, text, number):
    assert covered(detector, text, number) is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("DICTATED BY: JESSICA OYELARAN, NNP\nJO:TDX  D: 01/19/2090 T: 01/20/2090", "TDX"),  # a footer's fields
        ("LUCIA FERNANDEZ-OYELARAN, MD\nLFO/DKT   PAGER 503-555-0916", "DKT"),
        ("DISPO: OBS.\nR. ABERNATHY / RA/jmp", "jmp"),  # after the signer
        ("k.lindgren md / kl:mh", "mh"),
        ("dictated by P. Raghunathan pr/tkm d: 10/09/2091", "tkm"),
        ("Derek Halvorsen, MD - Pediatric Emergency Medicine\ndhalvorsen  10/31/90", "dhalvorsen"),  # a signer's login
        ("Anjali Moorthy-Kessler, MD\nSigned: 11/14/2090 19:02\namk4", "amk4"),
        ("on call: m. herrera md mherrera", "mherrera"),
        ("Dearborn, MI 48126.\nt.baptiste rn tbapt1", "tbapt1"),
    ],
)
def test_dictation_initials_and_logins_made_from_the_signers_name(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text, word",
    [
        ("BP/HR   128/76  88\nHEENT: NC/AT\nNC/AT   PERRL", "NC"),  # a field gap without a footer's field
        ("Mark Davis MD saw her. Plan per Mark Davis, md today.", "md"),  # a credential, not "m" + "d"
        ("Sam Ho, RN, so far stable.", "so"),  # an everyday word
        ("Anna Smith, MD\namk4 gene panel sent", "amk4"),  # no one's initials
        ("Signed: 11/14/2090 19:02\namlodipine 5 mg daily", "19:02\nam"),  # the next line's word is no "am"
    ],
)
def test_words_after_signers_that_are_no_logins(detector, text, word):
    assert covered(detector, text, word) is None


@pytest.mark.parametrize(
    "text, date",
    [
        ("EGD 7/3 by Dr. Okafor: gastritis.", "7/3"),  # more above the line than below: no fraction or count
        ("Accepted to the program 12/6; transport arranged.", "12/6"),
        ("Lymph node biopsy (9/03).", "9/03"),
        ("No ER visits since feb. Doing well.", "feb"),  # a month's abbreviation after a cue
        ("A1c 8.9 (was 7.8 in Nov).", "Nov"),
    ],
)
def test_short_dates_without_a_year(detector, text, date):
    assert covered(detector, text, date) == "DATE"


@pytest.mark.parametrize(
    "text, number",
    [
        ("Home BiPAP 12/6.", "12/6"),  # ventilator pressures
        ("WBC 10/5, Hgb 13.", "10/5"),  # lab values in a list
        ("Pupils 4/2 decreasing to 3/1 on exposure to light.", "4/2"),
        ("Strength 5/4.", "5/4"),
        ("Cultures 2/2 positive.", "2/2"),
        ("Pt has dec appetite, in dec urine output.", "dec"),
    ],
)
def test_pressures_values_grades_and_abbreviations_are_no_short_dates(detector, text, number):
    assert covered(detector, text, number) is None


@pytest.mark.parametrize(
    "text, value, label",
    [
        ("Spanish interpreter Ricardo (#40127) used.", "40127", "ID"),  # an interpreter's staff number
        ("Somali interpreter Abdi Hersi #31152 present.", "31152", "ID"),
        ("Employee: Haile, Kidane   SSN: xxx-xx-4418   DOB: 11/11/1975", "xxx-xx-4418", "ID"),  # a masked SSN
        ("SSN (last 4): 4471", "4471", "ID"),
        ("VETERAN: MOSELEY, FRANK   Last4: M1183   Age: 77", "M1183", "ID"),
        ("Tobias Engel, MD\npager 4471", "4471", "CONTACT"),  # a four-digit pager or extension
        ("Case Management\nExt. 5520", "5520", "CONTACT"),
    ],
)
def test_staff_numbers_masked_ssns_pagers_and_extensions(detector, text, value, label):
    assert covered(detector, text, value) == label


@pytest.mark.parametrize(
    "text, number",
    [
        ("Interpreter used for 3 visits; #2 scheduled.", "2"),
        ("Ext 3 fingers fully.", "3"),
        ("Cell count 12.5 thousand.", "12.5"),
    ],
)
def test_counts_near_interpreter_and_extension_words_are_no_ids(detector, text, number):
    assert covered(detector, text, number) is None
