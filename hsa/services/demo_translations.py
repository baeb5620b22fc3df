"""The demo catalog's services in Hindi and Kannada, as an admin would fill them on /admin/catalog.

Kept apart from `demo_data` (which holds the English catalog and accounts) so translators edit
only this file; the shape is `Service.translations`.
"""

from __future__ import annotations

DEMO_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "Plumbing": {
        "hi": {"name": "प्लंबिंग", "description": "लीकेज, नल, बंद नालियाँ, पाइप फिटिंग और बाथरूम फिटिंग।"},
        "kn": {"name": "ಪ್ಲಂಬಿಂಗ್", "description": "ಸೋರಿಕೆ, ನಲ್ಲಿ, ಕಟ್ಟಿದ ಚರಂಡಿ, ಪೈಪ್ ಜೋಡಣೆ ಮತ್ತು ಸ್ನಾನಗೃಹದ ಫಿಟ್ಟಿಂಗ್‌ಗಳು."},
    },
    "Electrical": {
        "hi": {"name": "इलेक्ट्रिकल", "description": "वायरिंग की खराबी, स्विच, पंखे, लाइट और MCB/फ़्यूज़ की मरम्मत।"},
        "kn": {"name": "ವಿದ್ಯುತ್ ಕೆಲಸ", "description": "ವೈರಿಂಗ್ ದೋಷ, ಸ್ವಿಚ್, ಫ್ಯಾನ್, ದೀಪ ಮತ್ತು MCB/ಫ್ಯೂಸ್ ದುರಸ್ತಿ."},
    },
    "Home Cleaning": {
        "hi": {"name": "घर की सफ़ाई", "description": "पूरे घर की गहरी सफ़ाई: रसोई, बाथरूम, फ़र्श और खिड़कियाँ।"},
        "kn": {"name": "ಮನೆ ಸ್ವಚ್ಛತೆ", "description": "ಇಡೀ ಮನೆಯ ಆಳವಾದ ಸ್ವಚ್ಛತೆ: ಅಡುಗೆಮನೆ, ಸ್ನಾನಗೃಹ, ನೆಲ ಮತ್ತು ಕಿಟಕಿಗಳು."},
    },
    "Bathroom Cleaning": {
        "hi": {"name": "बाथरूम की सफ़ाई", "description": "बाथरूम की गहन सफ़ाई और जमी परत हटाना।"},
        "kn": {"name": "ಸ್ನಾನಗೃಹ ಸ್ವಚ್ಛತೆ", "description": "ಸ್ನಾನಗೃಹದ ತೀವ್ರ ಸ್ವಚ್ಛತೆ ಮತ್ತು ಕಲೆ ತೆಗೆಯುವಿಕೆ."},
    },
    "Carpentry": {
        "hi": {"name": "बढ़ईगीरी", "description": "फ़र्नीचर की मरम्मत और जोड़ना, दरवाज़े और खिड़की ठीक करना।"},
        "kn": {"name": "ಬಡಗಿ ಕೆಲಸ", "description": "ಪೀಠೋಪಕರಣ ದುರಸ್ತಿ ಮತ್ತು ಜೋಡಣೆ, ಬಾಗಿಲು ಮತ್ತು ಕಿಟಕಿ ಸರಿಪಡಿಸುವಿಕೆ."},
    },
    "Painting": {
        "hi": {"name": "पेंटिंग", "description": "हर कमरे की अंदरूनी दीवारों की पेंटिंग, सतह की तैयारी के साथ।"},
        "kn": {"name": "ಬಣ್ಣ ಹಚ್ಚುವುದು", "description": "ಪ್ರತಿ ಕೋಣೆಯ ಒಳಗೋಡೆಗಳಿಗೆ ಬಣ್ಣ, ಮೇಲ್ಮೈ ಸಿದ್ಧತೆಯೊಂದಿಗೆ."},
    },
    "AC Repair": {
        "hi": {"name": "AC मरम्मत", "description": "स्प्लिट और विंडो AC की जाँच, गैस भरना और मरम्मत।"},
        "kn": {"name": "AC ದುರಸ್ತಿ", "description": "ಸ್ಪ್ಲಿಟ್ ಮತ್ತು ವಿಂಡೋ AC ಪರೀಕ್ಷೆ, ಗ್ಯಾಸ್ ತುಂಬಿಸುವಿಕೆ ಮತ್ತು ದುರಸ್ತಿ."},
    },
    "Pest Control": {
        "hi": {"name": "कीट नियंत्रण", "description": "कॉकरोच, चींटी और दीमक का सुरक्षित रसायनों से उपचार।"},
        "kn": {"name": "ಕೀಟ ನಿಯಂತ್ರಣ", "description": "ಜಿರಳೆ, ಇರುವೆ ಮತ್ತು ಗೆದ್ದಲಿಗೆ ಸುರಕ್ಷಿತ ರಾಸಾಯನಿಕಗಳಿಂದ ಚಿಕಿತ್ಸೆ."},
    },
    "Appliance Repair": {
        "hi": {"name": "उपकरण मरम्मत", "description": "वॉशिंग मशीन, फ्रिज और माइक्रोवेव की मरम्मत।"},
        "kn": {"name": "ಉಪಕರಣ ದುರಸ್ತಿ", "description": "ವಾಷಿಂಗ್ ಮೆಷಿನ್, ಫ್ರಿಜ್ ಮತ್ತು ಮೈಕ್ರೋವೇವ್ ದುರಸ್ತಿ."},
    },
    "RO Water Purifier": {
        "hi": {"name": "RO वॉटर प्यूरीफ़ायर", "description": "RO सर्विस, फ़िल्टर बदलना और इंस्टॉलेशन।"},
        "kn": {"name": "RO ನೀರು ಶುದ್ಧೀಕರಣ", "description": "RO ಸರ್ವೀಸ್, ಫಿಲ್ಟರ್ ಬದಲಾವಣೆ ಮತ್ತು ಅಳವಡಿಕೆ."},
    },
}
